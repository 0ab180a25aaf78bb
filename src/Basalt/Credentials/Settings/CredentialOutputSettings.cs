namespace Basalt.Credentials.Settings;

/// <summary>
/// What a profile hands out besides AWS credentials: a Bedrock bearer token minted from them (bedrock-and-clients
/// §3; what Claude Desktop's Bedrock provider wants from a helper) with its lifetime, and extra headers for the
/// Desktop helper's JSON form (cowork3p-reference §4).
/// </summary>
public sealed record CredentialOutputSettings
{
    /// <summary>Short-term Bedrock API keys live at most 12 hours (bedrock-and-clients §3).</summary>
    public static readonly TimeSpan MaxTokenLifetime = TimeSpan.FromHours(12);

    public static CredentialOutputSettings Default { get; } = new();

    /// <summary>Print a Bedrock bearer token (Desktop helper output) instead of needing AWS credentials.</summary>
    public bool BedrockToken { get; init; }

    /// <summary>Requested lifetime of a minted token; also capped by the credentials' own expiry.</summary>
    public TimeSpan TokenLifetime { get; init; } = MaxTokenLifetime;

    /// <summary>
    /// The gateway id (<c>identity.aws.audience</c> of the Basalt gateway) that <c>gateway-token</c> binds its
    /// tokens to by signing it; null for a gateway without one.
    /// </summary>
    public string? GatewayId { get; init; }

    /// <summary>Headers sent with every inference request (Desktop helper JSON form).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
}
