using Basalt.Usage.Pricing;
using Basalt.Usage.Stores;

namespace Basalt.Usage.Reports;

/// <summary>
/// Prices <see cref="ReportBy.Routing"/> rows at list prices: the served tokens again at the baseline model's prices
/// (same token counts: the tokenizers of one generation agree closely enough for a saving estimate), minus what they
/// cost as served. Cache writes are in the rollups as one figure and priced at the 5-minute rate.
/// </summary>
public static class RoutingSavings
{
    public static IReadOnlyList<UsageReportRow> Price(IReadOnlyList<UsageReportRow> rows, UsagePricer pricer)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(pricer);
        var priced = new List<UsageReportRow>(rows.Count);
        foreach (var row in rows)
        {
            // Key: requested>baseline>served (the store's routing rollup key and its model column).
            var parts = row.Key.Split(RollupAccumulator.RoutingSeparator);
            if (parts.Length != 3)
            {
                priced.Add(row);
                continue;
            }

            var t = row.Totals;
            var (usd, basis) = pricer.Price(parts[1], parts[1], t.InputTokens, t.OutputTokens, t.CacheReadTokens, t.CacheWriteTokens, 0);
            decimal? baselineCost = basis is PriceBasis.Catalogue or PriceBasis.Override ? usd : null;
            priced.Add(row with { Routing = new RoutingSaving(parts[0], parts[1], parts[2], baselineCost, baselineCost - t.CostUsd) });
        }

        return priced;
    }
}
