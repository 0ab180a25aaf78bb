using System.Text.Json;
using Basalt.Gateway.Routing;
using Basalt.Usage;
using Basalt.Usage.Reports;

namespace Basalt.Gateway.Dashboard;

/// <summary>
/// Refusals and errors (filterable, paged, from the store's problems index), upstream health (this replica's breaker
/// states beside latency and failures of recent requests from every replica), and the audit trail of dashboard changes.
/// </summary>
internal sealed class ProblemsApi(DashboardServices services)
{
    private const int MaxUpstreamSamples = 50_000;
    private static readonly string[] RefusalColumns = ["time", "requestId", "user", "groups", "model", "status", "outcome", "reason", "upstream", "region", "durationMs"];
    private static readonly string[] AuditColumns = ["time", "event", "actor", "target", "details"];

    public async Task<DashboardResult> RefusalsAsync(DashboardRequest r)
    {
        var (from, to) = r.Range();
        var paging = r.Paging("time", UsageDashboardQueries.ProblemSortFields);
        var kind = r.Choice("kind", "all", "all", "refused", "errors");
        var group = r.Get("group");
        if (group is not null && r.Session.Scope is { } teams && !teams.Contains(group, StringComparer.Ordinal))
        {
            throw DashboardException.Forbidden($"team lead {r.Session.DisplayName} may see the teams {string.Join(", ", teams)}, not '{group}'");
        }

        var page = await services.Usage.Dashboard.ProblemsAsync(new ProblemQuery
        {
            From = from,
            To = to,
            Outcomes = kind switch
            {
                "refused" => [UsageOutcome.RefusedByPolicy],
                "errors" => [UsageOutcome.UpstreamError, UsageOutcome.InvalidRequest],
                _ => null,
            },
            User = r.Get("user"),
            Group = group,
            Model = r.Get("model"),
            Reason = r.Get("reason"),
            Teams = r.Session.Scope,
            Sort = paging.Sort,
            Descending = paging.Descending,
            Limit = paging.Limit,
            Offset = paging.Offset,
        }, r.Aborted).ConfigureAwait(false);
        var rows = page.Items.Select(x => (object?[])
        [
            DateTimeOffset.FromUnixTimeMilliseconds(x.TimestampMs), x.RequestId, x.UserId, x.Groups, x.ReportModel, (long)x.StatusCode, x.Outcome.ToString(),
            x.ErrorType, x.Upstream, x.Region, x.DurationMs,
        ]).ToList();
        return DashboardResult.Of(new DashboardTable("refusals", RefusalColumns, rows, page.Total, paging), from, to);
    }

    public async Task<DashboardResult> ReasonsAsync(DashboardRequest r)
    {
        var (from, to) = r.Range();
        var reasons = await services.Usage.Dashboard.ProblemReasonsAsync(from, to, r.Session.Scope, r.Aborted).ConfigureAwait(false);
        return DashboardResult.Ok(DashboardWriter.Build(w =>
        {
            w.WriteStartArray("items");
            foreach (var (outcome, reason, count) in reasons)
            {
                w.WriteStartObject();
                w.WriteString("outcome", outcome);
                DashboardWriter.Value(w, "reason", reason);
                w.WriteNumber("count", count);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }));
    }

    public async Task<DashboardResult> UpstreamsAsync(DashboardRequest r, GatewayHandler gateway)
    {
        var window = r.Int("window", 15, 1, 1440);
        var samples = await services.Usage.Dashboard.UpstreamSamplesAsync(r.Now.AddMinutes(-window), MaxUpstreamSamples, r.Aborted).ConfigureAwait(false);
        var byUpstream = samples.GroupBy(s => s.Upstream, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var states = gateway.BreakerStates;
        return DashboardResult.Ok(DashboardWriter.Build(w =>
        {
            w.WriteNumber("window", window);
            w.WriteBoolean("sampled", samples.Count >= MaxUpstreamSamples);
            w.WriteStartArray("items");
            foreach (var upstream in services.Options.Upstreams.Values.OrderBy(u => u.Name, StringComparer.Ordinal))
            {
                var list = byUpstream.GetValueOrDefault(upstream.Name) ?? [];
                var durations = list.Select(s => s.DurationMs).Order().ToList();
                var ttfb = list.Where(s => s.TtfbMs is not null).Select(s => s.TtfbMs!.Value).Order().ToList();
                var failures = list.Count(s => s.Failed);
                w.WriteStartObject();
                w.WriteString("name", upstream.Name);
                DashboardWriter.Value(w, "region", upstream.Region);
                w.WriteString("breaker", states.TryGetValue(upstream.Name, out var state) ? BreakerText(state) : "closed");
                w.WriteNumber("requests", list.Count);
                w.WriteNumber("failures", failures);
                w.WriteNumber("errorRate", list.Count == 0 ? 0 : Math.Round((double)failures / list.Count, 6));
                DashboardWriter.Value(w, "p50Ms", Percentile(durations, 0.50));
                DashboardWriter.Value(w, "p99Ms", Percentile(durations, 0.99));
                DashboardWriter.Value(w, "ttfbP50Ms", Percentile(ttfb, 0.50));
                DashboardWriter.Value(w, "ttfbP99Ms", Percentile(ttfb, 0.99));
                DashboardWriter.Value(w, "lastFailureAt", list.Where(s => s.Failed).Select(s => (DateTimeOffset?)DateTimeOffset.FromUnixTimeMilliseconds(s.TimestampMs)).Max());
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }));
    }

    public async Task<DashboardResult> AuditAsync(DashboardRequest r)
    {
        NotForTeamLeads(r);
        var (from, to) = r.Range();
        var paging = r.Paging("time", UsageDashboardQueries.AuditSortFields);
        var page = await services.Usage.Dashboard.AuditAsync(new AuditQuery
        {
            From = from,
            To = to,
            Event = r.Get("event"),
            Actor = r.Get("actor"),
            Sort = paging.Sort,
            Descending = paging.Descending,
            Limit = paging.Limit,
            Offset = paging.Offset,
        }, r.Aborted).ConfigureAwait(false);
        var rows = page.Items.Select(a =>
        {
            using var details = JsonDocument.Parse(a.DetailsJson);
            return (object?[])[a.Time, a.Event, a.Actor, a.Target, details.RootElement.Clone()];
        }).ToList();
        return DashboardResult.Of(new DashboardTable("audit", AuditColumns, rows, page.Total, paging), from, to);
    }

    public async Task<DashboardResult> AuditEventsAsync(DashboardRequest r)
    {
        NotForTeamLeads(r);
        var events = await services.Usage.Dashboard.AuditEventsAsync(r.Aborted).ConfigureAwait(false);
        return DashboardResult.Ok(DashboardWriter.Build(w => DashboardWriter.Value(w, "items", events)));
    }

    private static void NotForTeamLeads(DashboardRequest r)
    {
        if (r.Session.Role == DashboardRole.TeamLead)
        {
            throw DashboardException.Forbidden("the audit log is for dashboard admins and viewers, not team leads");
        }
    }

    private static long? Percentile(List<long> sorted, double p) => sorted.Count == 0 ? null : sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(p * sorted.Count) - 1)];

    private static string BreakerText(BreakerState state) => state switch
    {
        BreakerState.Open => "open",
        BreakerState.HalfOpen => "half-open",
        _ => "closed",
    };
}
