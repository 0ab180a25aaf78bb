namespace Basalt.Usage.Stores;

/// <summary>
/// A report over [<see cref="From"/>, <see cref="To"/>), answered from the rollups only (never raw records), at
/// hour resolution: bounds are rounded down to the hour. <see cref="Filter"/> restricts to one user/group/key/model
/// value of the <see cref="By"/> dimension. Rows are ordered by cost, then key; <see cref="Limit"/>/<see cref="Offset"/> page.
/// </summary>
public sealed record UsageReportQuery(ReportBy By, DateTimeOffset From, DateTimeOffset To, string? Filter = null, int Limit = 1000, int Offset = 0)
{
    /// <summary>The first instant of <paramref name="now"/>'s UTC month: where "month to date" starts.</summary>
    public static DateTimeOffset MonthStart(DateTimeOffset now) => new(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// The end of <paramref name="now"/>'s UTC hour: the default end of a report. Bounds are rounded down to the hour,
    /// so ending at "now" would drop the current hour — a request made a minute ago would be missing from the report
    /// (found running the container check: <c>basalt usage report</c> right after a request showed no rows). Nothing
    /// is recorded after now, so the current hour's bucket holds exactly the usage so far.
    /// </summary>
    public static DateTimeOffset EndOfHour(DateTimeOffset now) => new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero).AddHours(1);
}
