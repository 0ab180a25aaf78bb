namespace Basalt.Gateway.Dashboard;

/// <summary>
/// Maps <c>/admin/api/…</c> paths and methods to the handlers; the contract (routes, parameters, shapes) is
/// docs/dashboard-api.md. Role checks that depend on the route (team leads' reach, audit) are in the handlers.
/// </summary>
internal sealed class DashboardApi(DashboardServices services)
{
    private readonly UsageApi _usage = new(services);
    private readonly BudgetsApi _budgets = new(services);
    private readonly RateLimitsApi _rateLimits = new(services);
    private readonly KeysApi _keys = new(services);
    private readonly ProblemsApi _problems = new(services);

    public Task<DashboardResult> HandleAsync(DashboardRequest r, GatewayHandler gateway) => (r.Method, r.Segments) switch
    {
        ("GET", ["overview"]) => _usage.OverviewAsync(r),
        ("GET", ["users"]) => _usage.UsersAsync(r),
        ("GET", ["users", var id]) => _usage.UserAsync(r, id),
        ("GET", ["groups"]) => _usage.GroupsAsync(r),
        ("GET", ["groups", var name]) => _usage.GroupAsync(r, name),
        ("GET", ["devices"]) => _usage.DevicesAsync(r),
        ("GET", ["budgets"]) => _budgets.ListAsync(r),
        ("PUT", ["budgets", var id]) => _budgets.SetAsync(r, id),
        ("POST", ["budgets", var id, "reset"]) => _budgets.ResetAsync(r, id),
        ("DELETE", ["budgets", var id]) => _budgets.DeleteAsync(r, id),
        ("GET", ["rate-limits"]) => _rateLimits.ListAsync(r),
        ("PUT", ["rate-limits", var id]) => _rateLimits.SetAsync(r, id),
        ("DELETE", ["rate-limits", var id]) => _rateLimits.DeleteAsync(r, id),
        ("GET", ["keys"]) => _keys.ListAsync(r),
        ("POST", ["keys"]) => _keys.CreateAsync(r),
        ("POST", ["keys", var id, "rotate"]) => _keys.RotateAsync(r, id),
        ("POST", ["keys", var id, "revoke"]) => _keys.RevokeAsync(r, id),
        ("GET", ["refusals"]) => _problems.RefusalsAsync(r),
        ("GET", ["refusals", "reasons"]) => _problems.ReasonsAsync(r),
        ("GET", ["upstreams"]) => _problems.UpstreamsAsync(r, gateway),
        ("GET", ["policies"]) => PoliciesApi.ListAsync(r, gateway),
        ("GET", ["audit"]) => _problems.AuditAsync(r),
        ("GET", ["audit", "events"]) => _problems.AuditEventsAsync(r),
        _ => throw DashboardException.NotFound($"{r.Method} /admin/api/{string.Join('/', r.Segments)} is not a dashboard API route (see docs/dashboard-api.md)"),
    };
}
