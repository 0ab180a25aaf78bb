namespace Basalt.Credentials.Oidc;

/// <summary>
/// What differs between identity providers that claim to speak the same OpenID Connect: the scopes that yield a
/// refresh token, extra authorization parameters, whether a refresh returns a new ID token, whether the device
/// grant exists, and the issuer shape the AWS IAM OIDC provider must be registered with. Sources: each vendor's
/// OIDC documentation and cowork3p-reference §6.3 ("Known IdP behavior").
/// </summary>
internal sealed record OidcProviderPreset
{
    public required OidcProviderKind Kind { get; init; }

    /// <summary>The settings value (<c>okta</c>, <c>entra</c>, ...).</summary>
    public required string Name { get; init; }

    public required IReadOnlyList<string> DefaultScopes { get; init; }

    /// <summary>Added to the authorization request as is (e.g. Google's <c>access_type=offline</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ExtraAuthorizationParameters { get; init; } = [];

    /// <summary>
    /// False when a refresh-token grant returns no new <c>id_token</c>: the cached ID token is used while it is
    /// valid, and after that only a full sign-in gives STS a token (why Google re-prompts about hourly).
    /// </summary>
    public bool RefreshReturnsIdToken { get; init; } = true;

    /// <summary>False when the provider has no device authorization endpoint at all.</summary>
    public bool SupportsDeviceFlow { get; init; } = true;

    /// <summary>Recognises the provider from its issuer URL.</summary>
    public required Func<Uri, bool> MatchesIssuer { get; init; }

    /// <summary>Okta: org authorization server <c>https://{org}.okta.com</c> or a custom one <c>.../oauth2/{id}</c>.</summary>
    public static readonly OidcProviderPreset Okta = new()
    {
        Kind = OidcProviderKind.Okta,
        Name = "okta",
        DefaultScopes = ["openid", "profile", "email", "offline_access"],
        MatchesIssuer = u => HostEndsWith(u, ".okta.com", ".oktapreview.com", ".okta-emea.com", ".okta-gov.com", ".okta.mil"),
    };

    /// <summary>
    /// Microsoft Entra ID. The issuer must be the v2.0 one, <c>https://login.microsoftonline.com/{tenant-id}/v2.0</c>:
    /// v1 discovery (without <c>/v2.0</c>) advertises <c>https://sts.windows.net/{tenant-id}/</c>, which does not
    /// match the v2 tokens' <c>iss</c>, and the multi-tenant aliases (<c>common</c>, <c>organizations</c>,
    /// <c>consumers</c>) advertise a <c>{tenantid}</c> template no IAM OIDC provider can be registered for.
    /// </summary>
    public static readonly OidcProviderPreset Entra = new()
    {
        Kind = OidcProviderKind.Entra,
        Name = "entra",
        DefaultScopes = ["openid", "profile", "email", "offline_access"],
        MatchesIssuer = u => HostEndsWith(u, "login.microsoftonline.com", "login.microsoftonline.us", "login.partner.microsoftonline.cn", "login.chinacloudapi.cn"),
    };

    /// <summary>Auth0. Its issuer ends with a slash (<c>https://{tenant}.auth0.com/</c>); keep it, <c>iss</c> is compared exactly.</summary>
    public static readonly OidcProviderPreset Auth0 = new()
    {
        Kind = OidcProviderKind.Auth0,
        Name = "auth0",
        DefaultScopes = ["openid", "profile", "email", "offline_access"],
        MatchesIssuer = u => HostEndsWith(u, ".auth0.com"),
    };

    /// <summary>
    /// Amazon Cognito user pools: issuer <c>https://cognito-idp.{region}.amazonaws.com/{pool-id}</c>. Cognito has
    /// no <c>offline_access</c> scope (a refresh token always comes with the code grant) and no device grant.
    /// </summary>
    public static readonly OidcProviderPreset Cognito = new()
    {
        Kind = OidcProviderKind.Cognito,
        Name = "cognito",
        DefaultScopes = ["openid", "profile", "email"],
        SupportsDeviceFlow = false,
        MatchesIssuer = u => u.Host.StartsWith("cognito-idp.", StringComparison.OrdinalIgnoreCase)
            && (u.Host.EndsWith(".amazonaws.com", StringComparison.OrdinalIgnoreCase) || u.Host.EndsWith(".amazonaws.com.cn", StringComparison.OrdinalIgnoreCase)),
    };

    /// <summary>
    /// Google. No <c>offline_access</c> scope: a refresh token needs <c>access_type=offline</c>, and Google only
    /// returns one on consent, hence <c>prompt=consent</c>. A Google refresh returns a new access token but no new
    /// ID token (cowork3p-reference §6.3), so users sign in again when the hour-long ID token expires. Google's
    /// "Desktop app" clients also expect their (non-confidential) client secret at the token endpoint, which
    /// Basalt does not send: register a client type that accepts PKCE without a secret, or use another IdP.
    /// </summary>
    public static readonly OidcProviderPreset Google = new()
    {
        Kind = OidcProviderKind.Google,
        Name = "google",
        DefaultScopes = ["openid", "email"],
        ExtraAuthorizationParameters = [new("access_type", "offline"), new("prompt", "consent")],
        RefreshReturnsIdToken = false,
        MatchesIssuer = u => string.Equals(u.Host, "accounts.google.com", StringComparison.OrdinalIgnoreCase),
    };

    /// <summary>Any other standards-following provider (PingFederate, Keycloak, ForgeRock, ...).</summary>
    public static readonly OidcProviderPreset Generic = new()
    {
        Kind = OidcProviderKind.Generic,
        Name = "generic",
        DefaultScopes = ["openid", "profile", "email", "offline_access"],
        MatchesIssuer = _ => false,
    };

    public static IReadOnlyList<OidcProviderPreset> All { get; } = [Okta, Entra, Auth0, Cognito, Google, Generic];

    public static OidcProviderPreset For(OidcProviderKind kind) => All.First(p => p.Kind == kind);

    public static OidcProviderPreset? FromName(string? name)
        => All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The preset whose issuer pattern matches, or <see cref="Generic"/>.</summary>
    public static OidcProviderPreset Detect(Uri issuer)
        => All.FirstOrDefault(p => p.MatchesIssuer(issuer)) ?? Generic;

    private static bool HostEndsWith(Uri uri, params string[] suffixes)
        => suffixes.Any(s => uri.Host.EndsWith(s, StringComparison.OrdinalIgnoreCase) || string.Equals(uri.Host, s.TrimStart('.'), StringComparison.OrdinalIgnoreCase));
}
