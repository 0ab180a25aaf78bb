namespace Basalt.Gateway.Dashboard;

/// <summary>What a signed-in person may do on the dashboard (issue 11 item 1); checked on every API call.</summary>
public enum DashboardRole
{
    /// <summary>Reads only, and only the data of their teams (groups).</summary>
    TeamLead,

    /// <summary>Reads everything, changes nothing.</summary>
    Viewer,

    /// <summary>Reads and changes everything (budgets, limits, keys).</summary>
    Admin,
}
