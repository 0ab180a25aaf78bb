namespace Basalt.Deployment.Reading;

/// <summary>
/// The keys each section of <c>basalt.yaml</c> allows and the spellings of its enumerations, as data: the section
/// readers check against these tables, the docs and the hostile corpus enumerate them, and adding a key is a
/// one-line change here plus its reader.
/// </summary>
internal static class DeploymentSchema
{
    public static readonly string[] TopKeys = ["version", "name", "organization", "provider", "platforms", "aws", "auth", "models", "policy", "telemetry", "claudeCode", "groups", "secrets", DeploymentModelCatalogue.Key, GatewaySectionKey];

    /// <summary>Basalt's own gateway (issue 8 item 9), read by the gateway's one reader, <c>GatewayConfigReader</c>.</summary>
    public const string GatewaySectionKey = "gateway";
    public static readonly string[] SecretsKeys = ["allowFilesOutsideFolder"];
    public static readonly string[] GroupKeys = ["description", "provider", "platforms", "organization", "aws", "auth", "models", "policy", "telemetry", "claudeCode"];
    public static readonly string[] OrganizationKeys = ["name", "identifier", "uuid", "displayName", "displaySubtitle"];
    public static readonly string[] AwsKeys = ["region", "scope", "geography", "accountId", "allowedRegions", "baseUrl", "serviceTier"];
    public static readonly string[] ModelKeys = ["id", "label", "tier", "scope", "supports1m", "prefer1m", "familyDefault"];
    public static readonly string[] SsoKeys = ["startUrl", "region", "accountId", "roleName", "sessionName", "profileName"];
    public static readonly string[] ProfileKeys = ["name", "awsDir", "awsCliPath"];
    public static readonly string[] HelperKeys = ["source", "profile", "installPath", "ttlSec", "timeoutSec", "oidc"];
    public static readonly string[] OidcKeys = ["issuer", "clientId", "roleName", "maxSessionDurationSec"];
    public static readonly string[] GatewayKeys = ["baseUrl", "apiKey", "authScheme", "oidc", "useHelper", "gatewaySignIn", "basalt", "telemetry"];
    public static readonly string[] GatewayOidcKeys = ["clientId", "issuer", "authorizationUrl", "tokenUrl", "scopes", "bearerTokenType", "appendOfflineAccess", "resource", "redirectPort", "additionalRedirectReferrerHosts"];
    public static readonly string[] ClaudeCodeKeys = ["enabled", "gatewayMode", "env"];
    public static readonly string[] Approaches = ["bearer-token", "aws-sign-in", "named-profile", "credential-helper", "gateway"];
    public static readonly string[] Providers = ["bedrock", "gateway"];
    public static readonly string[] Scopes = ["regional", "cross-region", "global"];
    public static readonly string[] Tiers = [.. Basalt.Bedrock.Models.ModelCatalogue.Default.Families];
    public static readonly string[] ServiceTiers = ["flex", "priority"];
    public static readonly string[] HelperSources = ["oidc", "aws-sign-in"];
    public static readonly string[] GatewayAuthSchemes = ["bearer", "x-api-key"];
    public static readonly string[] GatewayModes = ["bedrock", "anthropic"];

    /// <summary>The keys <c>auth:</c> allows for each approach: the fields of one approach must not leak into another.</summary>
    public static readonly IReadOnlyDictionary<string, string[]> AuthKeys = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["bearer-token"] = ["approach", "bearerToken"],
        ["aws-sign-in"] = ["approach", "sso"],
        ["named-profile"] = ["approach", "profile", "sso"],
        ["credential-helper"] = ["approach", "helper", "sso"],
        ["gateway"] = ["approach", "gateway", "helper"],
    };
}
