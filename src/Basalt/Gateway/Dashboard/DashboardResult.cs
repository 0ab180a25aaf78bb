namespace Basalt.Gateway.Dashboard;

/// <summary>What an API handler answers: a JSON object with a status, a table (JSON page or CSV), or nothing (204).</summary>
internal sealed record DashboardResult(int Status, byte[]? Json = null, DashboardTable? Table = null, string? RangeText = null)
{
    public static DashboardResult Ok(byte[] json) => new(200, json);

    public static DashboardResult Created(byte[] json) => new(201, json);

    public static DashboardResult NoContent { get; } = new(204);

    public static DashboardResult Of(DashboardTable table, DateTimeOffset? from = null, DateTimeOffset? to = null) =>
        new(200, Table: table, RangeText: from is { } f && to is { } t ? $"{f.UtcDateTime:yyyyMMdd}-{t.UtcDateTime:yyyyMMdd}" : null);
}
