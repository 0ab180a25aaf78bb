using System.Text.Json;
using Basalt.Usage.Budgets;
using Basalt.Usage.Hosting;
using Basalt.Usage.Stores;

namespace Basalt.Gateway.Dashboard;

/// <summary>
/// A budget as the dashboard shows it: its definition, the current period (after a reset), what was used so far
/// (store totals: hour rollups plus the raw edges, as admission counts it), and a linear projection to the period's
/// end. Budgets of value <c>*</c> (each member separately) show use only when a member is named.
/// </summary>
internal sealed record BudgetView(BudgetDefinition Budget, string Source, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd, UsageTotals? Used, DateTimeOffset Now)
{
    public static readonly string[] Columns =
    [
        "id", "scope", "value", "period", "timeZone", "limitUsd", "limitTokens", "softPercent", "periodStart", "periodEnd", "resetAt",
        "usedUsd", "usedTokens", "percentUsed", "projectedUsd", "projectedTokens", "source", "status",
    ];

    /// <summary>All budgets, the store's overriding configured ones with the same id.</summary>
    public static async Task<List<(BudgetDefinition Budget, string Source)>> AllAsync(UsageServices usage, CancellationToken cancellationToken)
    {
        var stored = await usage.Store.ListBudgetsAsync(cancellationToken).ConfigureAwait(false);
        var ids = stored.Select(b => b.Id).ToHashSet(StringComparer.Ordinal);
        return [.. usage.ConfiguredBudgets.Where(b => !ids.Contains(b.Id)).Select(b => (b, "config")), .. stored.Select(b => (b, "store"))];
    }

    /// <summary>The budget's figures now; <paramref name="member"/> names whose use to count for a <c>*</c> budget.</summary>
    public static async Task<BudgetView> OfAsync(UsageServices usage, BudgetDefinition budget, string source, DateTimeOffset now, string? member, CancellationToken cancellationToken)
    {
        var (start, end) = budget.PeriodAt(now);
        if (budget.ResetAt is { } reset && reset > start && reset <= now)
        {
            start = reset;
        }

        var value = budget.Scope == UsageDimension.Org ? "*" : budget.ScopeValue != "*" ? budget.ScopeValue : member;
        var used = value is null ? null : await usage.Store.TotalsAsync(budget.Scope, value, start, now, cancellationToken).ConfigureAwait(false);
        return new BudgetView(budget, source, start, end, used, now);
    }

    public double? PercentUsed
    {
        get
        {
            if (Used is null)
            {
                return null;
            }

            var usd = Budget.LimitUsd is { } l && l > 0 ? (double)(Used.CostUsd / l) * 100 : (double?)null;
            var tokens = Budget.LimitTokens is { } t && t > 0 ? (double)Used.TotalTokens / t * 100 : (double?)null;
            return Math.Round(Math.Max(usd ?? 0, tokens ?? 0), 2);
        }
    }

    /// <summary>Linear: what was used so far, scaled from the elapsed part of the period to the whole period.</summary>
    public double? ProjectionFactor
    {
        get
        {
            var elapsed = (Now - PeriodStart).TotalSeconds;
            var length = (PeriodEnd - PeriodStart).TotalSeconds;
            return elapsed <= 0 || length <= 0 ? null : length / Math.Max(elapsed, 3600);
        }
    }

    public string Status => PercentUsed is not { } p ? "ok" : p >= 100 ? "exceeded" : p >= Budget.SoftPercent ? "soft" : "ok";

    public object?[] Row()
    {
        var factor = ProjectionFactor;
        return
        [
            Budget.Id, Budget.Scope.ToString().ToLowerInvariant(), Budget.ScopeValue, Budget.Period.ToString().ToLowerInvariant(), Budget.TimeZone,
            Budget.LimitUsd, Budget.LimitTokens, Budget.SoftPercent, PeriodStart, PeriodEnd, Budget.ResetAt,
            Used?.CostUsd, Used?.TotalTokens, PercentUsed,
            Used is not null && factor is { } f ? Math.Round((double)Used.CostUsd * f, 6) : null,
            Used is not null && factor is { } g ? (long)(Used.TotalTokens * g) : null,
            Source, Status,
        ];
    }

    public void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        var row = Row();
        for (var i = 0; i < Columns.Length; i++)
        {
            DashboardWriter.Value(w, Columns[i], row[i]);
        }

        w.WriteEndObject();
    }
}
