namespace Basalt.Emulator.Options;

/// <summary>
/// A person. One entry serves both as an IAM user in <see cref="Account"/> (for static access keys and long-term
/// Bedrock API keys) and as an IAM Identity Center user who can approve a device sign-in and receive the
/// permission sets assigned to them.
/// </summary>
public sealed record UserOptions
{
    public required string Name { get; init; }

    /// <summary>The account the IAM user lives in.</summary>
    public required string Account { get; init; }

    /// <summary>IAM path such as <c>/engineering/</c>; part of the user's ARN.</summary>
    public string Path { get; init; } = "/";

    /// <summary>Identity Center groups (informational: shown on the approval page and in the request log).</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    public IReadOnlyList<AccessKeyOptions> AccessKeys { get; init; } = [];

    /// <summary>Long-term Bedrock API keys: opaque strings that authenticate as this user (spec §3).</summary>
    public IReadOnlyList<string> BedrockApiKeys { get; init; } = [];

    public override string ToString() => $"UserOptions {{ Name = {Name}, Account = {Account}, AccessKeys = {AccessKeys.Count}, BedrockApiKeys = {BedrockApiKeys.Count} }}";
}
