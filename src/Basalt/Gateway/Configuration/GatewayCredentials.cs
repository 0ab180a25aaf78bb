using Basalt.Aws;

namespace Basalt.Gateway.Configuration;

/// <summary>
/// The gateway's own AWS credentials for one upstream: static keys (by reference), a named AWS profile resolved
/// through the credential library, or a Bedrock API key. <see cref="ToString"/> never shows a secret.
/// </summary>
public sealed record GatewayCredentials(string Source, AwsCredentials? StaticKeys = null, string? Profile = null, string? BedrockApiKey = null)
{
    public const string StaticSource = "static";
    public const string ProfileSource = "profile";
    public const string BedrockApiKeySource = "bedrock-api-key";

    public override string ToString() => Source switch
    {
        StaticSource => $"static ({StaticKeys?.AccessKeyId})",
        ProfileSource => $"profile {Profile}",
        _ => "bedrock-api-key ***",
    };
}
