using System.Text.Json;
using Basalt.Usage.Stores;

namespace Basalt.Gateway.Dashboard;

/// <summary>The usage figures every usage table row and total carries, in one order and with one set of names.</summary>
internal static class UsageFigures
{
    public static readonly string[] Columns = ["requests", "inputTokens", "outputTokens", "cacheReadTokens", "cacheWriteTokens", "tokens", "costUsd", "errors", "refused"];

    public static object?[] Values(UsageTotals t) =>
        [t.Requests, t.InputTokens, t.OutputTokens, t.CacheReadTokens, t.CacheWriteTokens, t.TotalTokens, t.CostUsd, t.ErrorRequests, t.RefusedRequests];

    public static void Write(Utf8JsonWriter w, UsageTotals t)
    {
        var values = Values(t);
        for (var i = 0; i < Columns.Length; i++)
        {
            DashboardWriter.Value(w, Columns[i], values[i]);
        }
    }

    public static UsageTotals Sum(IEnumerable<UsageTotals> rows) => rows.Aggregate(UsageTotals.Empty, (a, b) => new UsageTotals
    {
        Requests = a.Requests + b.Requests,
        InputTokens = a.InputTokens + b.InputTokens,
        OutputTokens = a.OutputTokens + b.OutputTokens,
        CacheReadTokens = a.CacheReadTokens + b.CacheReadTokens,
        CacheWriteTokens = a.CacheWriteTokens + b.CacheWriteTokens,
        CostNanos = a.CostNanos + b.CostNanos,
        EstimatedRequests = a.EstimatedRequests + b.EstimatedRequests,
        FallbackPricedRequests = a.FallbackPricedRequests + b.FallbackPricedRequests,
        UnpricedRequests = a.UnpricedRequests + b.UnpricedRequests,
        RefusedRequests = a.RefusedRequests + b.RefusedRequests,
        DeviceReportedRequests = a.DeviceReportedRequests + b.DeviceReportedRequests,
        ErrorRequests = a.ErrorRequests + b.ErrorRequests,
    });

    /// <summary>Totals plus <c>errorRate</c> = errors / requests.</summary>
    public static void WriteTotals(Utf8JsonWriter w, string name, UsageTotals t)
    {
        w.WriteStartObject(name);
        Write(w, t);
        w.WriteNumber("errorRate", t.Requests == 0 ? 0 : Math.Round((double)t.ErrorRequests / t.Requests, 6));
        w.WriteEndObject();
    }
}
