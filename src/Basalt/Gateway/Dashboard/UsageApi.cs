using System.Globalization;
using System.Text.Json;
using Basalt.Usage.Budgets;
using Basalt.Usage.Reports;
using Basalt.Usage.Stores;

namespace Basalt.Gateway.Dashboard;

/// <summary>
/// Overview, users, groups and device-reported usage (issue 11 item 1), all from rollups. A team lead's reach is a
/// filter in the query: the group dimension restricted to their teams, and the member dimension (<c>team|user</c>)
/// for their people, so nothing outside their teams is ever read for them.
/// </summary>
internal sealed class UsageApi(DashboardServices services)
{
    private static readonly string[] UserSorts = ["user", .. UsageFigures.Columns];
    private static readonly string[] GroupSorts = ["group", .. UsageFigures.Columns];

    public async Task<DashboardResult> OverviewAsync(DashboardRequest r)
    {
        var usage = services.Usage;
        var (from, to) = r.Range();
        var hours = r.Choice("bucket", to - from <= TimeSpan.FromDays(3) ? "hour" : "day", "hour", "day") == "hour";
        var scope = r.Session.Scope;
        var dim = scope is null ? RollupDimension.Org : RollupDimension.Group;
        var ct = r.Aborted;
        var series = await usage.Dashboard.RollupAsync(new DashboardRollupQuery { Dimension = dim, Values = scope, From = from, To = to, GroupBy = RollupGrouping.Bucket, HourBuckets = hours, Sort = "key", Descending = false, Limit = 10_000 }, ct).ConfigureAwait(false);
        var topUsers = scope is null
            ? await usage.Dashboard.RollupAsync(new DashboardRollupQuery { Dimension = RollupDimension.User, From = from, To = to, Limit = 10 }, ct).ConfigureAwait(false)
            : await usage.Dashboard.RollupAsync(new DashboardRollupQuery { Dimension = RollupDimension.Member, Prefixes = [.. scope.Select(t => t + "|")], From = from, To = to, Limit = 10 }, ct).ConfigureAwait(false);
        var topModels = await usage.Dashboard.RollupAsync(new DashboardRollupQuery { Dimension = dim, Values = scope, From = from, To = to, GroupBy = RollupGrouping.Model, Limit = 10 }, ct).ConfigureAwait(false);

        // Month to date against the month's budget: the org's (admins, viewers) or the sum of the teams' (team leads).
        var monthStart = UsageReportQuery.MonthStart(r.Now);
        var monthEnd = monthStart.AddMonths(1);
        var budgets = await BudgetView.AllAsync(usage, ct).ConfigureAwait(false);
        decimal monthCost = 0;
        decimal? budgetUsd = null;
        string? budgetId = null;
        if (scope is null)
        {
            monthCost = (await usage.Store.TotalsAsync(UsageDimension.Org, "*", monthStart, r.Now, ct).ConfigureAwait(false)).CostUsd;
            var org = budgets.Select(b => b.Budget).FirstOrDefault(b => b.Scope == UsageDimension.Org && b.Period == BudgetPeriod.Month && b.LimitUsd is not null);
            budgetUsd = org?.LimitUsd;
            budgetId = org?.Id;
        }
        else
        {
            foreach (var team in scope)
            {
                monthCost += (await usage.Store.TotalsAsync(UsageDimension.Group, team, monthStart, r.Now, ct).ConfigureAwait(false)).CostUsd;
                if (budgets.Select(b => b.Budget).FirstOrDefault(b => b.Scope == UsageDimension.Group && b.ScopeValue == team && b.Period == BudgetPeriod.Month && b.LimitUsd is not null) is { } g)
                {
                    budgetUsd = (budgetUsd ?? 0) + g.LimitUsd;
                    budgetId = budgetId is null ? g.Id : budgetId + "," + g.Id;
                }
            }
        }

        var elapsed = Math.Max((r.Now - monthStart).TotalSeconds, 3600);
        var projected = Math.Round((double)monthCost * (monthEnd - monthStart).TotalSeconds / elapsed, 6);
        return DashboardResult.Ok(DashboardWriter.Build(w =>
        {
            w.WriteString("from", DashboardWriter.Iso(from));
            w.WriteString("to", DashboardWriter.Iso(to));
            w.WriteString("bucket", hours ? "hour" : "day");
            WriteSeries(w, series.Items);
            UsageFigures.WriteTotals(w, "totals", UsageFigures.Sum(series.Items.Select(s => s.Totals)));
            w.WriteStartObject("monthToDate");
            w.WriteString("periodStart", DashboardWriter.Iso(monthStart));
            w.WriteString("periodEnd", DashboardWriter.Iso(monthEnd));
            w.WriteNumber("costUsd", monthCost);
            DashboardWriter.Value(w, "budgetUsd", budgetUsd);
            w.WriteNumber("projectedUsd", projected);
            DashboardWriter.Value(w, "budgetId", budgetId);
            w.WriteEndObject();
            w.WriteStartArray("topUsers");
            foreach (var row in topUsers.Items)
            {
                var (group, user) = SplitMember(scope is null ? null : row.Key);
                w.WriteStartObject();
                w.WriteString("user", user ?? row.Key);
                if (group is not null)
                {
                    w.WriteString("group", group);
                }

                Short(w, row.Totals);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("topModels");
            foreach (var row in topModels.Items)
            {
                w.WriteStartObject();
                w.WriteString("model", row.Key);
                Short(w, row.Totals);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }));
    }

    public async Task<DashboardResult> UsersAsync(DashboardRequest r)
    {
        var (from, to) = r.Range();
        var paging = r.Paging("costUsd", UserSorts);
        var scope = r.Session.Scope;
        var group = r.Get("group");
        if (group is not null && scope is not null && !scope.Contains(group, StringComparer.Ordinal))
        {
            throw DashboardException.Forbidden($"team lead {r.Session.DisplayName} may see the teams {string.Join(", ", scope)}, not '{group}'");
        }

        var perGroup = group is not null || scope is not null;
        var query = new DashboardRollupQuery
        {
            Dimension = perGroup ? RollupDimension.Member : RollupDimension.User,
            Prefixes = perGroup ? [.. (group is not null ? [group] : scope!).Select(g => g + "|")] : null,
            From = from,
            To = to,
            Contains = r.Get("q"),
            Sort = paging.Sort == "user" ? "key" : paging.Sort,
            Descending = paging.Descending,
            Limit = paging.Limit,
            Offset = paging.Offset,
        };
        var page = await services.Usage.Dashboard.RollupAsync(query, r.Aborted).ConfigureAwait(false);
        var rows = page.Items.Select(row =>
        {
            var (g, u) = SplitMember(perGroup ? row.Key : null);
            return (object?[])[u ?? row.Key, g, .. UsageFigures.Values(row.Totals)];
        }).ToList();
        return DashboardResult.Of(new DashboardTable("users", ["user", "group", .. UsageFigures.Columns], rows, page.Total, paging), from, to);
    }

    public async Task<DashboardResult> UserAsync(DashboardRequest r, string id)
    {
        var usage = services.Usage;
        if (r.Session.Scope is { } teams && !await usage.Dashboard.IsMemberOfAsync(id, teams, r.Aborted).ConfigureAwait(false))
        {
            throw DashboardException.NotFound($"no user '{id}' in your teams ({string.Join(", ", teams)})");
        }

        var budgets = (await BudgetView.AllAsync(usage, r.Aborted).ConfigureAwait(false)).Where(b => b.Budget.Scope == UsageDimension.User && b.Budget.AppliesTo(id));
        return await DetailAsync(r, RollupDimension.User, "user", id, budgets, id, null).ConfigureAwait(false);
    }

    public async Task<DashboardResult> GroupsAsync(DashboardRequest r)
    {
        var (from, to) = r.Range();
        var paging = r.Paging("costUsd", [.. GroupSorts, "users"]);
        if (paging.Sort == "users")
        {
            throw DashboardException.BadRequest("'sort=users' is not available (user counts are computed per page); sort by another column");
        }

        var page = await services.Usage.Dashboard.RollupAsync(new DashboardRollupQuery
        {
            Dimension = RollupDimension.Group,
            Values = r.Session.Scope,
            From = from,
            To = to,
            Contains = r.Get("q"),
            Sort = paging.Sort == "group" ? "key" : paging.Sort,
            Descending = paging.Descending,
            Limit = paging.Limit,
            Offset = paging.Offset,
        }, r.Aborted).ConfigureAwait(false);
        var rows = new List<object?[]>();
        foreach (var row in page.Items)
        {
            // Distinct users per group from member day rollups: one small index range per row of the page.
            long? users = page.Items.Count <= TablePaging.MaxLimit ? await services.Usage.Dashboard.GroupUserCountAsync(row.Key, from, to, r.Aborted).ConfigureAwait(false) : null;
            rows.Add([row.Key, .. UsageFigures.Values(row.Totals), users]);
        }

        return DashboardResult.Of(new DashboardTable("groups", ["group", .. UsageFigures.Columns, "users"], rows, page.Total, paging), from, to);
    }

    public async Task<DashboardResult> GroupAsync(DashboardRequest r, string name)
    {
        if (r.Session.Scope is { } teams && !teams.Contains(name, StringComparer.Ordinal))
        {
            throw DashboardException.NotFound($"no group '{name}' among your teams ({string.Join(", ", teams)})");
        }

        var budgets = (await BudgetView.AllAsync(services.Usage, r.Aborted).ConfigureAwait(false)).Where(b => b.Budget.Scope == UsageDimension.Group && b.Budget.AppliesTo(name));
        return await DetailAsync(r, RollupDimension.Group, "group", name, budgets, name, name + "|").ConfigureAwait(false);
    }

    /// <summary>Gateway-metered beside device-reported usage (OTLP from Claude Code / Desktop), by user, model or day.</summary>
    public async Task<DashboardResult> DevicesAsync(DashboardRequest r)
    {
        var (from, to) = r.Range();
        var by = r.Choice("by", "user", "user", "model", "day");
        string[] figures = ["gatewayRequests", "gatewayTokens", "gatewayCostUsd", "deviceRequests", "deviceTokens", "deviceCostUsd"];
        var paging = r.Paging(by == "day" ? "key" : "gatewayCostUsd", ["key", .. figures], defaultDescending: by != "day");
        var scope = r.Session.Scope;
        var query = new DashboardRollupQuery
        {
            Dimension = by == "user" ? scope is null ? RollupDimension.User : RollupDimension.Member : scope is null ? RollupDimension.Org : RollupDimension.Group,
            Prefixes = by == "user" && scope is not null ? [.. scope.Select(t => t + "|")] : null,
            Values = by != "user" ? scope : null,
            From = from,
            To = to,
            GroupBy = by == "model" ? RollupGrouping.Model : by == "day" ? RollupGrouping.Bucket : RollupGrouping.Value,
            Sort = "key",
            Limit = TablePaging.MaxCsvRows,
        };

        // Two reads (gateway, device) merged by key: a few thousand rows at most (users, models or days).
        var gateway = await services.Usage.Dashboard.RollupAsync(query with { Source = "gateway" }, r.Aborted).ConfigureAwait(false);
        var device = await services.Usage.Dashboard.RollupAsync(query with { Source = "device" }, r.Aborted).ConfigureAwait(false);
        var merged = new Dictionary<string, (UsageTotals? Gateway, UsageTotals? Device)>(StringComparer.Ordinal);
        foreach (var row in gateway.Items)
        {
            merged[KeyText(row.Key, by, scope)] = (Add(merged.GetValueOrDefault(KeyText(row.Key, by, scope)).Gateway, row.Totals), merged.GetValueOrDefault(KeyText(row.Key, by, scope)).Device);
        }

        foreach (var row in device.Items)
        {
            var k = KeyText(row.Key, by, scope);
            merged[k] = (merged.GetValueOrDefault(k).Gateway, Add(merged.GetValueOrDefault(k).Device, row.Totals));
        }

        var rows = merged.Select(kv => (object?[])
        [
            kv.Key, kv.Value.Gateway?.Requests ?? 0L, kv.Value.Gateway?.TotalTokens ?? 0L, kv.Value.Gateway?.CostUsd ?? 0m,
            kv.Value.Device?.Requests ?? 0L, kv.Value.Device?.TotalTokens ?? 0L, kv.Value.Device?.CostUsd ?? 0m,
        ]).ToList();
        var column = paging.Sort == "key" ? 0 : Array.IndexOf(figures, paging.Sort) + 1;
        Comparison<object?[]> compare = (a, b) => column == 0
            ? string.CompareOrdinal((string)a[0]!, (string)b[0]!)
            : Convert.ToDecimal(a[column], CultureInfo.InvariantCulture).CompareTo(Convert.ToDecimal(b[column], CultureInfo.InvariantCulture));
        rows.Sort((a, b) => paging.Descending ? compare(b, a) : compare(a, b));
        return DashboardResult.Of(new DashboardTable("devices", ["key", .. figures], paging.Page(rows), rows.Count, paging), from, to);
    }

    private async Task<DashboardResult> DetailAsync(DashboardRequest r, RollupDimension dim, string name, string value, IEnumerable<(BudgetDefinition Budget, string Source)> budgets, string? member, string? membersPrefix)
    {
        var usage = services.Usage;
        var (from, to) = r.Range();
        var hours = r.Choice("bucket", to - from <= TimeSpan.FromDays(3) ? "hour" : "day", "hour", "day") == "hour";
        var ct = r.Aborted;
        var series = await usage.Dashboard.RollupAsync(new DashboardRollupQuery { Dimension = dim, Values = [value], From = from, To = to, GroupBy = RollupGrouping.Bucket, HourBuckets = hours, Sort = "key", Descending = false, Limit = 10_000 }, ct).ConfigureAwait(false);
        var models = await usage.Dashboard.RollupAsync(new DashboardRollupQuery { Dimension = dim, Values = [value], From = from, To = to, GroupBy = RollupGrouping.Model, Limit = 200 }, ct).ConfigureAwait(false);
        var top = membersPrefix is null ? null : await usage.Dashboard.RollupAsync(new DashboardRollupQuery { Dimension = RollupDimension.Member, Prefixes = [membersPrefix], From = from, To = to, Limit = 10 }, ct).ConfigureAwait(false);
        var views = new List<BudgetView>();
        foreach (var (budget, source) in budgets)
        {
            views.Add(await BudgetView.OfAsync(usage, budget, source, r.Now, member, ct).ConfigureAwait(false));
        }

        var totalCost = models.Items.Sum(m => m.Totals.CostNanos);
        return DashboardResult.Ok(DashboardWriter.Build(w =>
        {
            w.WriteString(name, value);
            w.WriteString("from", DashboardWriter.Iso(from));
            w.WriteString("to", DashboardWriter.Iso(to));
            w.WriteString("bucket", hours ? "hour" : "day");
            UsageFigures.WriteTotals(w, "totals", UsageFigures.Sum(series.Items.Select(s => s.Totals)));
            WriteSeries(w, series.Items);
            w.WriteStartArray("models");
            foreach (var m in models.Items)
            {
                w.WriteStartObject();
                w.WriteString("model", m.Key);
                UsageFigures.Write(w, m.Totals);
                w.WriteNumber("share", totalCost == 0 ? 0 : Math.Round((double)m.Totals.CostNanos / totalCost, 4));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (top is not null)
            {
                w.WriteStartArray("topUsers");
                foreach (var u in top.Items)
                {
                    w.WriteStartObject();
                    w.WriteString("user", SplitMember(u.Key).User);
                    Short(w, u.Totals);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteStartArray("budgets");
            foreach (var v in views)
            {
                v.Write(w);
            }

            w.WriteEndArray();
        }));
    }

    private static void WriteSeries(Utf8JsonWriter w, IReadOnlyList<DashboardRollupRow> rows)
    {
        w.WriteStartArray("series");
        foreach (var row in rows)
        {
            w.WriteStartObject();
            w.WriteString("t", DashboardWriter.Iso(DateTimeOffset.FromUnixTimeSeconds(long.Parse(row.Key, CultureInfo.InvariantCulture))));
            w.WriteNumber("costUsd", row.Totals.CostUsd);
            w.WriteNumber("inputTokens", row.Totals.InputTokens);
            w.WriteNumber("outputTokens", row.Totals.OutputTokens);
            w.WriteNumber("cacheReadTokens", row.Totals.CacheReadTokens);
            w.WriteNumber("cacheWriteTokens", row.Totals.CacheWriteTokens);
            w.WriteNumber("requests", row.Totals.Requests);
            w.WriteNumber("errors", row.Totals.ErrorRequests);
            w.WriteNumber("refused", row.Totals.RefusedRequests);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void Short(Utf8JsonWriter w, UsageTotals t)
    {
        w.WriteNumber("costUsd", t.CostUsd);
        w.WriteNumber("tokens", t.TotalTokens);
        w.WriteNumber("requests", t.Requests);
    }

    /// <summary><c>team|user</c> → (team, user); anything else → (null, null).</summary>
    private static (string? Group, string? User) SplitMember(string? key)
    {
        var bar = key?.IndexOf('|', StringComparison.Ordinal) ?? -1;
        return bar < 0 ? (null, null) : (key![..bar], key[(bar + 1)..]);
    }

    private static string KeyText(string key, string by, IReadOnlyList<string>? scope) => by switch
    {
        "day" => DashboardWriter.Iso(DateTimeOffset.FromUnixTimeSeconds(long.Parse(key, CultureInfo.InvariantCulture)))[..10],
        "user" when scope is not null => SplitMember(key).User ?? key,
        _ => key,
    };

    private static UsageTotals Add(UsageTotals? a, UsageTotals b) => a is null ? b : UsageFigures.Sum([a, b]);
}
