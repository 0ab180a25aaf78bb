namespace Basalt.ManagedConfig;

/// <summary>The credential sources of every provider (cowork3p-reference §3.1, §5), as data.</summary>
public static class CredentialSources
{
    public static readonly CredentialSource BedrockIdentityProvider = new("bedrock-idp", "external-idp", "identity provider sign-in", ["inferenceIdpOidc"]);
    public static readonly CredentialSource BedrockAwsSignIn = new("bedrock-sso", "interactive", "in-app AWS sign-in (IAM Identity Center)", KeyCatalogue.BedrockSsoKeys);
    public static readonly CredentialSource BedrockProfile = new("bedrock-profile", "vendor-profile", "named AWS profile", ["inferenceBedrockProfile"]);
    public static readonly CredentialSource BedrockBearerToken = new("bedrock-bearer", "static", "Bedrock bearer token", ["inferenceBedrockBearerToken"]);
    public static readonly CredentialSource Helper = new("helper", "helper-script", "credential helper", ["inferenceCredentialHelper"]);
    public static readonly CredentialSource GatewayOidc = new("gateway-oidc", "interactive", "external-IdP SSO", ["inferenceGatewayOidc"]);
    public static readonly CredentialSource GatewayAuthorizationServer = new("gateway-as", "interactive", "gateway as OAuth authorization server", []);
    public static readonly CredentialSource GatewayApiKey = new("gateway-key", "static", "gateway API key", ["inferenceGatewayApiKey"]);
    public static readonly CredentialSource FoundryEntra = new("foundry-entra", "interactive", "Entra sign-in", ["inferenceFoundryTenantId", "inferenceFoundryClientId"]);
    public static readonly CredentialSource FoundryApiKey = new("foundry-key", "static", "Foundry API key", ["inferenceFoundryApiKey"]);
    public static readonly CredentialSource VertexWorkforce = new("vertex-workforce", "workforce", "Workforce Identity Federation", ["inferenceVertexWorkforceAudience", "inferenceVertexWorkforceOidc"]);
    public static readonly CredentialSource VertexGoogleSignIn = new("vertex-google", "interactive", "Google sign-in", ["inferenceVertexOAuthClientId", "inferenceVertexOAuthClientSecret"]);
    public static readonly CredentialSource VertexCredentialsFile = new("vertex-file", "vendor-profile", "credentials file", ["inferenceVertexCredentialsFile"]);
    public static readonly CredentialSource VertexAdc = new("vertex-adc", "vendor-profile", "application default credentials (gcloud ADC, then metadata server)", []);
    public static readonly CredentialSource AnthropicApiKey = new("anthropic-key", "static", "Claude API key", ["inferenceAnthropicApiKey"]);
    public static readonly CredentialSource AnthropicBrowserSignIn = new("anthropic-browser", "interactive", "browser sign-in via platform.claude.com", []);

    /// <summary>Credential kinds each provider accepts (§3.1 "Providers (as documented)", §5).</summary>
    public static IReadOnlyList<string> KindsFor(InferenceProvider provider) => provider switch
    {
        InferenceProvider.Bedrock => ["static", "helper-script", "interactive", "vendor-profile", "external-idp"],
        InferenceProvider.Mantle => ["static", "helper-script"],
        InferenceProvider.Gateway => ["static", "helper-script", "interactive"],
        InferenceProvider.Foundry => ["static", "helper-script", "interactive"],
        InferenceProvider.Vertex => ["helper-script", "interactive", "vendor-profile", "workforce", "oauth"],
        InferenceProvider.Anthropic => ["static", "helper-script", "interactive"],
        _ => [],
    };

    /// <summary>Every keyed source of a provider (implicit ones excluded).</summary>
    public static IReadOnlyList<CredentialSource> For(InferenceProvider provider) => provider switch
    {
        InferenceProvider.Bedrock => [BedrockIdentityProvider, BedrockAwsSignIn, BedrockProfile, Helper, BedrockBearerToken],
        InferenceProvider.Mantle => [Helper, BedrockBearerToken],
        InferenceProvider.Gateway => [Helper, GatewayOidc, GatewayApiKey],
        InferenceProvider.Foundry => [Helper, FoundryEntra, FoundryApiKey],
        InferenceProvider.Vertex => [Helper, VertexWorkforce, VertexGoogleSignIn, VertexCredentialsFile],
        InferenceProvider.Anthropic => [Helper, AnthropicApiKey],
        _ => [],
    };

    internal static IEnumerable<CredentialSource> All => [
        BedrockIdentityProvider, BedrockAwsSignIn, BedrockProfile, BedrockBearerToken, Helper, GatewayOidc, GatewayAuthorizationServer,
        GatewayApiKey, FoundryEntra, FoundryApiKey, VertexWorkforce, VertexGoogleSignIn, VertexCredentialsFile, VertexAdc, AnthropicApiKey,
        AnthropicBrowserSignIn];

    public static CredentialSource? ById(string id) => All.FirstOrDefault(s => s.Id == id);
}
