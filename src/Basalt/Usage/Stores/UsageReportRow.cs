namespace Basalt.Usage.Stores;

/// <summary>One row of a usage report: the grouping key (user id, group, model, key id or ISO day) and its totals.</summary>
public sealed record UsageReportRow(string Key, UsageTotals Totals)
{
    /// <summary>For <see cref="ReportBy.Routing"/> rows once priced by <c>RoutingSavings</c>: what routing saved.</summary>
    public Basalt.Usage.Reports.RoutingSaving? Routing { get; init; }
}
