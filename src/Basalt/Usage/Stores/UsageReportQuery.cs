namespace Basalt.Usage.Stores;

/// <summary>
/// A report over [<see cref="From"/>, <see cref="To"/>), answered from the rollups only (never raw records), at
/// hour resolution: bounds are rounded down to the hour. <see cref="Filter"/> restricts to one user/group/key/model
/// value of the <see cref="By"/> dimension. Rows are ordered by cost, then key; <see cref="Limit"/>/<see cref="Offset"/> page.
/// </summary>
public sealed record UsageReportQuery(ReportBy By, DateTimeOffset From, DateTimeOffset To, string? Filter = null, int Limit = 1000, int Offset = 0);
