namespace Basalt.Gateway.Dashboard;

/// <summary>An API refusal with its status, stable code (<c>bad_request</c>, <c>forbidden</c>, …) and a sentence saying what and how to fix.</summary>
internal sealed class DashboardException(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public static DashboardException BadRequest(string message) => new(400, "bad_request", message);

    public static DashboardException Forbidden(string message) => new(403, "forbidden", message);

    public static DashboardException NotFound(string message) => new(404, "not_found", message);

    public static DashboardException Conflict(string message) => new(409, "conflict", message);
}
