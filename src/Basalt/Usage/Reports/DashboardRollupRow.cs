using Basalt.Usage.Stores;

namespace Basalt.Usage.Reports;

/// <summary>One grouped row: <see cref="Key"/> is the value, model, or bucket start (Unix seconds, as text) by the query's grouping.</summary>
public sealed record DashboardRollupRow(string Key, UsageTotals Totals);
