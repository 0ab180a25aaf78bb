namespace Basalt.Emulator.Identity;

/// <summary>
/// A key the emulator accepts SigV4 signatures from: a configured long-term key, or session credentials it
/// issued itself. ToString never prints the secret or the session token.
/// </summary>
internal sealed record SigningCredential(
    string AccessKeyId,
    string SecretAccessKey,
    string? SessionToken,
    DateTimeOffset? Expiration,
    EmulatorPrincipal Principal)
{
    public bool IsExpired(DateTimeOffset now) => Expiration is { } e && now >= e;

    public override string ToString() => $"SigningCredential {{ AccessKeyId = {AccessKeyId}, Principal = {Principal.Arn}, Expiration = {Expiration:O} }}";
}
