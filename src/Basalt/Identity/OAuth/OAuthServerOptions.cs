using Basalt.Identity.Oidc;

namespace Basalt.Identity.OAuth;

/// <summary>
/// The gateway as an OAuth 2.0 authorization server (issue 9 item 3; cowork3p-reference §6.3 "gateway-as-AS"):
/// people prove who they are at the organization's IdP (<see cref="SignIn"/>) or through IAM Identity Center
/// (<see cref="IdentityCenter"/>), and the gateway then issues its own
/// short-lived access tokens and rotating refresh tokens to Claude Desktop (device grant) and CLIs (device grant or
/// authorization code + PKCE).
/// </summary>
public sealed record OAuthServerOptions
{
    /// <summary>The issuer and base of every endpoint (RFC 8414 §2). Null: the gateway's first listener address.</summary>
    public Uri? Issuer { get; init; }

    /// <summary>
    /// The configured OIDC issuer people sign in at; its group mapping turns their claims into groups. Null when
    /// people sign in through IAM Identity Center (<see cref="IdentityCenter"/>) instead; exactly one is set.
    /// </summary>
    public OidcIssuerOptions? SignIn { get; init; }

    /// <summary>The gateway's client id at that IdP (the ID token's <c>aud</c>).</summary>
    public string? SignInClientId { get; init; }

    /// <summary>IAM Identity Center as the sign-in step (<c>identity.oauth.signIn.identityCenter</c>), instead of <see cref="SignIn"/>.</summary>
    public IdentityCenterSignInOptions? IdentityCenter { get; init; }

    /// <summary>
    /// The gateway's client secret at that IdP, for IdPs that register it as a confidential client (an Entra "Web"
    /// app); null for a public client. Sent as the IdP's discovery document advertises (basic, else post).
    /// </summary>
    public string? SignInClientSecret { get; init; }

    /// <summary>Scopes asked of the IdP; <c>openid</c> is always included.</summary>
    public IReadOnlyList<string> SignInScopes { get; init; } = ["openid", "profile", "email"];

    /// <summary>Clients allowed the authorization code grant, with their registered redirect URIs.</summary>
    public IReadOnlyList<OAuthClient> Clients { get; init; } = [];

    /// <summary>Short on purpose: a stolen access token is useful this long; revocation ends refresh at once.</summary>
    public TimeSpan AccessTokenLifetime { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan RefreshTokenLifetime { get; init; } = TimeSpan.FromDays(30);

    /// <summary>RFC 8628 §3.2 <c>expires_in</c> of a device code.</summary>
    public TimeSpan DeviceCodeLifetime { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>RFC 8628 §3.2 <c>interval</c>: the default is 5 seconds.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a person has to finish signing in at the IdP, and an authorization code lives (RFC 6749 §4.1.2: short).</summary>
    public TimeSpan SignInLifetime { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>RFC 8628 §5.1: wrong user codes one client address may enter per <see cref="UserCodeFailureWindow"/>.</summary>
    public int UserCodeFailuresPerAddress { get; init; } = 10;

    /// <summary>RFC 8628 §5.1: wrong user codes from all addresses together per window (bounds a guesser with many addresses).</summary>
    public int UserCodeFailuresGatewayWide { get; init; } = 1_000;

    public TimeSpan UserCodeFailureWindow { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// RFC 8628 §5.1, per device code: once this many wrong user codes (from anyone) have been entered while a device
    /// grant is pending, that grant is denied — its code has faced too many guesses, whatever the windows — and the
    /// device is told <c>access_denied</c>. Bounds one code's exposure over its whole life, also when a long
    /// <see cref="DeviceCodeLifetime"/> spans several windows.
    /// </summary>
    public int UserCodeFailuresPerDeviceCode { get; init; } = 1_000;

    /// <summary>
    /// How long a replica trusts its cached "this family is not revoked" before asking the store again: the bound
    /// on how late a revocation made on another replica is seen (the revoking replica sees it at once).
    /// </summary>
    public TimeSpan RevocationCheckInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The SQLite file of refresh tokens, sign-ins in progress and signing keys (absolute), unless <see cref="PostgresConnectionString"/> is set.</summary>
    public string? SqliteFile { get; init; }

    /// <summary>The gateway's PostgreSQL (the usage store's), shared by replicas.</summary>
    public string? PostgresConnectionString { get; init; }
}
