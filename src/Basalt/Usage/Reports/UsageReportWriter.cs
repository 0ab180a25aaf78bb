using System.Globalization;
using System.Text;
using System.Text.Json;
using Basalt.Usage.Stores;

namespace Basalt.Usage.Reports;

/// <summary>
/// Renders report rows as CSV (RFC 4180) or JSON, and as the cells of a table, with the same columns everywhere.
/// Cost is printed from the decimal nano-dollar sums, never through float. Rows priced by the fallback price or
/// not priced at all are flagged (issue 10 item 2).
/// </summary>
public static class UsageReportWriter
{
    public static readonly string[] Columns =
        ["key", "requests", "input_tokens", "output_tokens", "cache_read_tokens", "cache_write_tokens", "cost_usd", "estimated", "fallback_priced", "unpriced", "refused", "device_reported"];

    /// <summary>Added after <see cref="Columns"/> when the rows are priced routing rows (<see cref="RoutingSavings"/>).</summary>
    public static readonly string[] RoutingColumns = ["baseline_model", "baseline_cost_usd", "saved_usd"];

    /// <summary>The columns for these rows: <see cref="Columns"/>, and <see cref="RoutingColumns"/> for routing rows.</summary>
    public static IReadOnlyList<string> ColumnsFor(IReadOnlyList<UsageReportRow> rows) =>
        rows.Any(r => r.Routing is not null) ? [.. Columns, .. RoutingColumns] : Columns;

    public static IReadOnlyList<string> Cells(UsageReportRow row)
    {
        var t = row.Totals;
        List<string> cells =
        [
            row.Key, N(t.Requests), N(t.InputTokens), N(t.OutputTokens), N(t.CacheReadTokens), N(t.CacheWriteTokens),
            Usd(t.CostUsd), N(t.EstimatedRequests), N(t.FallbackPricedRequests),
            N(t.UnpricedRequests), N(t.RefusedRequests), N(t.DeviceReportedRequests),
        ];
        if (row.Routing is { } r)
        {
            cells.AddRange([r.Baseline, r.BaselineCostUsd is { } b ? Usd(b) : "unpriced", r.SavedUsd is { } s ? Usd(s) : "unpriced"]);
        }

        return cells;
    }

    /// <summary>Total saved by routing over priced routing rows (unpriced baselines left out), or null for other rows.</summary>
    public static decimal? RoutingSaved(IReadOnlyList<UsageReportRow> rows) =>
        rows.Any(r => r.Routing is not null) ? rows.Sum(r => r.Routing?.SavedUsd ?? 0m) : null;

    /// <summary>A note for the table footer when some cost is not from published prices, else null.</summary>
    public static string? PricingNote(IReadOnlyList<UsageReportRow> rows)
    {
        var fallback = rows.Sum(r => r.Totals.FallbackPricedRequests);
        var unpriced = rows.Sum(r => r.Totals.UnpricedRequests);
        if (fallback == 0 && unpriced == 0)
        {
            return null;
        }

        return $"{fallback} request(s) of unknown models were priced with the configured fallback price and {unpriced} could not be priced (cost 0); add their prices under usage.prices in the gateway configuration.";
    }

    public static string Csv(IReadOnlyList<UsageReportRow> rows)
    {
        var sb = new StringBuilder();
        sb.AppendJoin(',', ColumnsFor(rows)).Append("\r\n");
        foreach (var row in rows)
        {
            sb.AppendJoin(',', Cells(row).Select(Quote)).Append("\r\n");
        }

        return sb.ToString();
    }

    public static string Json(IReadOnlyList<UsageReportRow> rows, UsageReportQuery query)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("by", query.By.ToString().ToLowerInvariant());
            w.WriteString("from", query.From);
            w.WriteString("to", query.To);
            w.WriteStartArray("rows");
            foreach (var row in rows)
            {
                var t = row.Totals;
                w.WriteStartObject();
                w.WriteString("key", row.Key);
                w.WriteNumber("requests", t.Requests);
                w.WriteNumber("input_tokens", t.InputTokens);
                w.WriteNumber("output_tokens", t.OutputTokens);
                w.WriteNumber("cache_read_tokens", t.CacheReadTokens);
                w.WriteNumber("cache_write_tokens", t.CacheWriteTokens);
                w.WriteNumber("cost_usd", t.CostUsd);
                w.WriteNumber("estimated", t.EstimatedRequests);
                w.WriteNumber("fallback_priced", t.FallbackPricedRequests);
                w.WriteNumber("unpriced", t.UnpricedRequests);
                w.WriteNumber("refused", t.RefusedRequests);
                w.WriteNumber("device_reported", t.DeviceReportedRequests);
                if (row.Routing is { } r)
                {
                    w.WriteString("requested_model", r.Requested);
                    w.WriteString("baseline_model", r.Baseline);
                    w.WriteString("served_model", r.Served);
                    WriteMoney(w, "baseline_cost_usd", r.BaselineCostUsd);
                    WriteMoney(w, "saved_usd", r.SavedUsd);
                }
                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (RoutingSaved(rows) is { } saved)
            {
                w.WriteNumber("routing_saved_usd", saved);
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + Environment.NewLine;
    }

    private static void WriteMoney(Utf8JsonWriter w, string name, decimal? usd)
    {
        if (usd is { } v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static string Usd(decimal usd) => usd.ToString("0.000000", CultureInfo.InvariantCulture);

    private static string N(long v) => v.ToString(CultureInfo.InvariantCulture);

    private static string Quote(string s) =>
        s.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
}
