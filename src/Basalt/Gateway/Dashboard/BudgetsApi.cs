using System.Text.Json;
using Basalt.Usage.Budgets;
using Basalt.Usage.Stores;

namespace Basalt.Gateway.Dashboard;

/// <summary>
/// Budgets (issue 11 item 1; rate limits are <see cref="RateLimitsApi"/>): listed with their burn; set, reset and deleted by admins in the usage
/// store, so every replica's admission reads them (this replica at once, others within the budget refresh), and
/// each change is audited. Team leads see their teams' group budgets.
/// </summary>
internal sealed class BudgetsApi(DashboardServices services)
{
    private static readonly string[] Scopes = ["user", "group", "key", "org"];
    private static readonly string[] Periods = ["day", "week", "month"];

    public async Task<DashboardResult> ListAsync(DashboardRequest r)
    {
        var usage = services.Usage;
        var paging = r.Paging("id", BudgetView.Columns, defaultDescending: false);
        var scope = r.Session.Scope;
        var views = new List<BudgetView>();
        foreach (var (budget, source) in await BudgetView.AllAsync(usage, r.Aborted).ConfigureAwait(false))
        {
            if (scope is null || (budget.Scope == UsageDimension.Group && scope.Contains(budget.ScopeValue, StringComparer.Ordinal)))
            {
                views.Add(await BudgetView.OfAsync(usage, budget, source, r.Now, null, r.Aborted).ConfigureAwait(false));
            }
        }

        var rows = views.Select(v => v.Row()).ToList();
        return DashboardResult.Of(new DashboardTable("budgets", BudgetView.Columns, paging.SortAndPage(rows, BudgetView.Columns), rows.Count, paging));
    }

    public async Task<DashboardResult> SetAsync(DashboardRequest r, string id)
    {
        CheckId(id);
        var body = await r.BodyAsync().ConfigureAwait(false);
        var existing = (await BudgetView.AllAsync(services.Usage, r.Aborted).ConfigureAwait(false)).FirstOrDefault(b => b.Budget.Id == id).Budget;
        var scope = DashboardRequest.BodyText(body, "scope") ?? existing?.Scope.ToString().ToLowerInvariant() ?? throw DashboardException.BadRequest("'scope' is missing; expected one of user, group, key, org");
        if (!Scopes.Contains(scope, StringComparer.Ordinal))
        {
            throw DashboardException.BadRequest($"'scope: {scope}' is not a budget scope; expected one of {string.Join(", ", Scopes)}");
        }

        var period = DashboardRequest.BodyText(body, "period") ?? existing?.Period.ToString().ToLowerInvariant() ?? "month";
        if (!Periods.Contains(period, StringComparer.Ordinal))
        {
            throw DashboardException.BadRequest($"'period: {period}' is not a budget period; expected one of {string.Join(", ", Periods)}");
        }

        var value = DashboardRequest.BodyText(body, "value") ?? existing?.ScopeValue ?? "*";
        var limitUsd = Number(body, "limitUsd", existing?.LimitUsd);
        var limitTokens = Number(body, "limitTokens", existing?.LimitTokens);
        if (limitUsd is null && limitTokens is null)
        {
            throw DashboardException.BadRequest("a budget needs 'limitUsd' and/or 'limitTokens' (per period)");
        }

        if (limitUsd is <= 0 || limitTokens is <= 0)
        {
            throw DashboardException.BadRequest("'limitUsd' and 'limitTokens' must be greater than 0");
        }

        var soft = Number(body, "softPercent", (decimal?)(existing?.SoftPercent ?? 80));
        if (soft is not ({ } s and >= 1 and <= 100) || soft != Math.Floor(soft.Value))
        {
            throw DashboardException.BadRequest("'softPercent' must be a whole number from 1 to 100");
        }

        var zone = DashboardRequest.BodyText(body, "timeZone") ?? existing?.TimeZone ?? "UTC";
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            throw DashboardException.BadRequest($"'timeZone: {zone}' is not a time zone known to this system; use an IANA id such as Europe/Paris (or UTC)");
        }

        var budget = new BudgetDefinition
        {
            Id = id,
            Scope = Enum.Parse<UsageDimension>(scope, ignoreCase: true),
            ScopeValue = scope == "org" ? "*" : value,
            Period = Enum.Parse<BudgetPeriod>(period, ignoreCase: true),
            LimitUsd = limitUsd,
            LimitTokens = limitTokens is { } t ? (long)t : null,
            SoftPercent = (int)soft.Value,
            TimeZone = zone,
            ResetAt = existing is not null && existing.Scope.ToString().Equals(scope, StringComparison.OrdinalIgnoreCase) && existing.ScopeValue == value ? existing.ResetAt : null,
        };
        await SaveAsync(budget, r.Aborted).ConfigureAwait(false);
        await services.AuditAsync("budget.set", r.Session, id, r.Aborted,
            ("scope", scope), ("value", budget.ScopeValue), ("period", period), ("limitUsd", budget.LimitUsd), ("limitTokens", budget.LimitTokens),
            ("softPercent", budget.SoftPercent), ("previousLimitUsd", existing?.LimitUsd), ("previousLimitTokens", existing?.LimitTokens)).ConfigureAwait(false);
        return await ItemAsync(budget, "store", r).ConfigureAwait(false);
    }

    public async Task<DashboardResult> ResetAsync(DashboardRequest r, string id)
    {
        var existing = (await BudgetView.AllAsync(services.Usage, r.Aborted).ConfigureAwait(false)).FirstOrDefault(b => b.Budget.Id == id).Budget
            ?? throw DashboardException.NotFound($"no budget '{id}'");

        // A reset forgives what was used before now in this period; a configured budget gets a store copy carrying it.
        var budget = existing with { ResetAt = r.Now };
        await SaveAsync(budget, r.Aborted).ConfigureAwait(false);
        await services.AuditAsync("budget.reset", r.Session, id, r.Aborted, ("resetAt", r.Now)).ConfigureAwait(false);
        return await ItemAsync(budget, "store", r).ConfigureAwait(false);
    }

    public async Task<DashboardResult> DeleteAsync(DashboardRequest r, string id)
    {
        if (!await services.Usage.Store.DeleteBudgetAsync(id, r.Aborted).ConfigureAwait(false))
        {
            throw services.Usage.ConfiguredBudgets.Any(b => b.Id == id)
                ? DashboardException.Conflict($"budget '{id}' is in the configuration file ({services.Options.Source}); edit it there")
                : DashboardException.NotFound($"no budget '{id}' in the store");
        }

        services.Usage.Admission.InvalidateBudgets();
        await services.AuditAsync("budget.delete", r.Session, id, r.Aborted).ConfigureAwait(false);
        return DashboardResult.NoContent;
    }

    private async Task SaveAsync(BudgetDefinition budget, CancellationToken cancellationToken)
    {
        await services.Usage.Store.SetBudgetAsync(budget, cancellationToken).ConfigureAwait(false);
        services.Usage.Admission.InvalidateBudgets();
    }

    private async Task<DashboardResult> ItemAsync(BudgetDefinition budget, string source, DashboardRequest r)
    {
        var view = await BudgetView.OfAsync(services.Usage, budget, source, r.Now, null, r.Aborted).ConfigureAwait(false);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            view.Write(w);
        }

        return DashboardResult.Ok(stream.ToArray());
    }

    private static void CheckId(string id)
    {
        if (id.Length is 0 or > 100 || id.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            throw DashboardException.BadRequest($"'{id}' is not a budget id; use 1-100 letters, digits, '-', '_' or '.'");
        }
    }


    /// <summary>Absent → <paramref name="fallback"/>; JSON null → null (cleared); else a number.</summary>
    private static decimal? Number(JsonElement body, string name, decimal? fallback)
    {
        if (!body.TryGetProperty(name, out var v))
        {
            return fallback;
        }

        return v.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.Number when v.TryGetDecimal(out var d) => d,
            _ => throw DashboardException.BadRequest($"'{name}' must be a number or null"),
        };
    }

}
