namespace Basalt.Gateway.Dashboard;

/// <summary>
/// A signed-in dashboard user, carried whole in the sealed session cookie (no server-side state, so any replica with
/// the session key serves it). <see cref="Id"/> is random per sign-in and binds the CSRF token.
/// </summary>
public sealed record DashboardSession(
    string Id,
    string UserId,
    string DisplayName,
    string? Email,
    DashboardRole Role,
    IReadOnlyList<string> Teams,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt,
    string? IdToken = null)
{
    /// <summary>
    /// The longest ID token kept in the session for the sign-out's <c>id_token_hint</c>: the whole sealed cookie
    /// must stay under browsers' 4,096-byte limit. A longer one (many group claims) is dropped and the sign-out
    /// names the client with <c>client_id</c> instead (OIDC RP-Initiated Logout 1.0 §2 allows either).
    /// </summary>
    public const int MaxIdTokenLength = 2000;

    public bool CanWrite => Role == DashboardRole.Admin;

    /// <summary>The role's name on the wire (<c>admin</c>, <c>viewer</c>, <c>team-lead</c>).</summary>
    public string RoleName => RoleText(Role);

    public static string RoleText(DashboardRole role) => role switch
    {
        DashboardRole.Admin => "admin",
        DashboardRole.Viewer => "viewer",
        _ => "team-lead",
    };

    /// <summary>Null for admins and viewers (everything); the groups a team lead may see otherwise.</summary>
    public IReadOnlyList<string>? Scope => Role == DashboardRole.TeamLead ? Teams : null;
}
