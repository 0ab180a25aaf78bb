namespace Basalt.Gateway.Dashboard;

/// <summary>
/// A page of a table as every list endpoint answers it: the columns (JSON property names and CSV header), the rows
/// (string, long, decimal, double, bool, <see cref="DateTimeOffset"/>, string lists or null), the total across
/// pages, and the paging and sort that produced it. Written as JSON or CSV by <see cref="DashboardWriter"/>.
/// </summary>
internal sealed record DashboardTable(string Name, IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows, long Total, TablePaging Paging)
{
    /// <summary>Extra top-level JSON properties (e.g. <c>enabled</c>); not in CSV.</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> Extra { get; init; } = [];
}
