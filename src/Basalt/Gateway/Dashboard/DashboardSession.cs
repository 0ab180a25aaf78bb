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
    DateTimeOffset ExpiresAt)
{
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
