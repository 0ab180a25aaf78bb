using System.Globalization;
using System.Text;
using System.Text.Json;
using Basalt.Usage.Budgets;
using Basalt.Usage.Reports;
using Basalt.Usage.Stores;

namespace Basalt.Usage.Hosting;

/// <summary>
/// The admin API's data for the dashboard (issue 10 item 7), as JSON, paged: usage over time (by day), per principal
/// (user, group, key), per model, budget burn, and recent refusals. The host authenticates the caller and maps
/// <c>GET /admin/api/usage?by=&amp;from=&amp;to=&amp;limit=&amp;offset=</c>, <c>/admin/api/budgets</c> and
/// <c>/admin/api/refusals?limit=</c> to these; all read rollups except refusals (newest raw rows by time index).
/// </summary>
public sealed class UsageAdminQueries
{
    private readonly IUsageStore store;
    private readonly IReadOnlyList<BudgetDefinition> configured;
    private readonly Pricing.UsagePricer? pricer;

    /// <param name="configured">Budgets from the configuration; one set in the store with the same id wins, as in admission.</param>
    /// <param name="pricer">Prices routing rows' baselines (<see cref="ReportBy.Routing"/>); without it they are not priced.</param>
    public UsageAdminQueries(IUsageStore store, IReadOnlyList<BudgetDefinition>? configured = null, Pricing.UsagePricer? pricer = null)
    {
        this.store = store;
        this.configured = configured ?? [];
        this.pricer = pricer;
    }

    public async Task<string> UsageJsonAsync(ReportBy by, DateTimeOffset from, DateTimeOffset to, int limit, int offset, CancellationToken cancellationToken)
    {
        var query = new UsageReportQuery(by, from, to, null, Math.Clamp(limit, 1, 10_000), Math.Max(0, offset));
        var rows = await store.ReportAsync(query, cancellationToken).ConfigureAwait(false);
        if (by == ReportBy.Routing && pricer is not null)
        {
            rows = RoutingSavings.Price(rows, pricer);
        }

        return UsageReportWriter.Json(rows, query);
    }

    public async Task<string> BudgetsJsonAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartArray();
            var stored = await store.ListBudgetsAsync(cancellationToken).ConfigureAwait(false);
            var ids = stored.Select(b => b.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var b in configured.Where(b => !ids.Contains(b.Id)).Concat(stored))
            {
                var (start, end) = b.PeriodAt(now);
                if (b.ResetAt is { } r && r > start)
                {
                    start = r;
                }

                w.WriteStartObject();
                w.WriteString("id", b.Id);
                w.WriteString("scope", b.Scope.ToString().ToLowerInvariant());
                w.WriteString("value", b.ScopeValue);
                w.WriteString("period", b.Period.ToString().ToLowerInvariant());
                w.WriteString("timeZone", b.TimeZone);
                w.WriteString("periodStart", start);
                w.WriteString("resetsAt", end);
                if (b.LimitUsd is { } usd)
                {
                    w.WriteNumber("limitUsd", usd);
                }

                if (b.LimitTokens is { } tokens)
                {
                    w.WriteNumber("limitTokens", tokens);
                }

                w.WriteNumber("softPercent", b.SoftPercent);
                if (b.ScopeValue != "*" || b.Scope == UsageDimension.Org)
                {
                    var used = await store.TotalsAsync(b.Scope, b.ScopeValue, start, now, cancellationToken).ConfigureAwait(false);
                    w.WriteNumber("usedUsd", used.CostUsd);
                    w.WriteNumber("usedTokens", used.TotalTokens);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public async Task<string> RefusalsJsonAsync(int limit, CancellationToken cancellationToken)
    {
        var rows = await store.RecentAsync(refusedOnly: true, Math.Clamp(limit, 1, 1000), cancellationToken).ConfigureAwait(false);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartArray();
            foreach (var r in rows)
            {
                w.WriteStartObject();
                w.WriteString("requestId", r.RequestId);
                w.WriteString("time", DateTimeOffset.FromUnixTimeMilliseconds(r.TimestampMs).ToString("O", CultureInfo.InvariantCulture));
                w.WriteString("user", r.UserId);
                w.WriteString("model", r.ModelRequested);
                w.WriteNumber("status", r.StatusCode);
                w.WriteString("errorType", r.ErrorType);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
