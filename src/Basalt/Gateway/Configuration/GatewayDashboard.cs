using Basalt.Gateway.Dashboard;

namespace Basalt.Gateway.Configuration;

/// <summary>
/// The gateway's <c>dashboard:</c> section (issue 11 item 1): who may sign in to <c>/admin</c> and how. Off unless
/// configured. Sign-in is OIDC authorization code + PKCE against one of <c>identity.oidc</c>'s issuers, as a
/// confidential client; the session is a sealed cookie, so <see cref="SessionKey"/> must be the same on every replica.
/// <code>
/// dashboard:
///   issuer: https://login.example.com            # one of identity.oidc's issuers
///   clientId: basalt-dashboard
///   clientSecret: "${env:BASALT_DASHBOARD_SECRET}"
///   redirectBaseUrl: https://gateway.example.com # callback &lt;base&gt;/admin/auth/callback; the origin for CSRF
///   sessionKey: "${file:dashboard.key}"          # openssl rand -base64 32
///   sessionLifetime: 8h
///   roles:
///     admins: [platform-admins]
///     viewers: [auditors]
///     teamLeads: [ { group: engineering-leads, teams: [engineering] } ]
/// </code>
/// </summary>
public sealed record GatewayDashboard
{
    public required string Issuer { get; init; }

    public required string ClientId { get; init; }

    /// <summary>Resolved from its reference; never logged (<see cref="ToString"/> leaves it out).</summary>
    public required string ClientSecret { get; init; }

    /// <summary>Scheme, host and port the browser uses (no path); <c>https</c> makes the cookies Secure.</summary>
    public required Uri RedirectBase { get; init; }

    public required DashboardSessionKey SessionKey { get; init; }

    public TimeSpan SessionLifetime { get; init; } = TimeSpan.FromHours(8);

    public IReadOnlyList<string> AdminGroups { get; init; } = [];

    public IReadOnlyList<string> ViewerGroups { get; init; } = [];

    /// <summary>Group → the teams (gateway groups) its members may see.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> TeamLeads { get; init; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

    /// <summary>Extra scopes beyond <c>openid</c> (the groups claim usually needs one); default <c>profile email groups</c>.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = ["profile", "email", "groups"];

    /// <summary>The callback the IdP redirects to.</summary>
    public Uri CallbackUri => new(RedirectBase, "/admin/auth/callback");

    /// <summary>Where the IdP sends the browser back after ending its session (register it as a post-logout redirect URI).</summary>
    public Uri PostLogoutUri => new(RedirectBase, "/admin/");

    /// <summary>The browser origin (<c>scheme://host[:port]</c>) state-changing calls must come from.</summary>
    public string Origin => RedirectBase.GetLeftPart(UriPartial.Authority);

    public bool SecureCookies => RedirectBase.Scheme == Uri.UriSchemeHttps;

    public override string ToString() => $"dashboard {{ Issuer = {Issuer}, ClientId = {ClientId}, ClientSecret = ***, RedirectBase = {RedirectBase} }}";
}
