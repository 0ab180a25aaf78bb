namespace Basalt.Usage.Reports;

/// <summary>A page of rows and how many there are in all (for paging controls).</summary>
public sealed record DashboardPage<T>(IReadOnlyList<T> Items, long Total);
