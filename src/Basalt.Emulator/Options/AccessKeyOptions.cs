namespace Basalt.Emulator.Options;

/// <summary>A long-term IAM access key pair (<c>AKIA...</c>) tied to a user. ToString never prints the secret.</summary>
public sealed record AccessKeyOptions
{
    public required string AccessKeyId { get; init; }

    public required string SecretAccessKey { get; init; }

    public override string ToString() => $"AccessKeyOptions {{ AccessKeyId = {AccessKeyId}, SecretAccessKey = *** }}";
}
