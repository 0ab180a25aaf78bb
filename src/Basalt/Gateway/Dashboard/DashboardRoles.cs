using Basalt.Gateway.Configuration;

namespace Basalt.Gateway.Dashboard;

/// <summary>
/// Decides a person's dashboard role from their gateway groups (the issuer's group mapping already applied):
/// admin over team lead over viewer, so a person in several role groups gets the widest; null when none matches.
/// </summary>
internal static class DashboardRoles
{
    public static (DashboardRole Role, IReadOnlyList<string> Teams)? Resolve(GatewayDashboard config, IReadOnlyList<string> groups)
    {
        bool In(IReadOnlyList<string> roleGroups) => groups.Any(g => roleGroups.Contains(g, StringComparer.Ordinal));
        if (In(config.AdminGroups))
        {
            return (DashboardRole.Admin, []);
        }

        var teams = config.TeamLeads.Where(kv => groups.Contains(kv.Key, StringComparer.Ordinal)).SelectMany(kv => kv.Value).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (teams.Count > 0)
        {
            return (DashboardRole.TeamLead, teams);
        }

        return In(config.ViewerGroups) ? (DashboardRole.Viewer, []) : null;
    }
}
