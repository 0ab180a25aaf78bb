using System.Globalization;
using Basalt.Identity;
using Basalt.Usage.Budgets;
using Basalt.Usage.Stores;

namespace Basalt.Usage.Limits;

/// <summary>Budgets: which apply, their periods, the spend they start from, and the refusal or warning they give.</summary>
public sealed partial class UsageAdmissionPolicy
{
    private Func<CancellationToken, Task<long>> Initial(SpentQuery? spent)
    {
        if (spent is not { } q || store is not { } s)
        {
            return Zero;
        }

        return async ct =>
        {
            var totals = await s.TotalsAsync(q.Dim, q.Value, q.Start, q.Now, ct).ConfigureAwait(false);
            return q.Cost ? totals.CostNanos : totals.TotalTokens;
        };
    }

    private async ValueTask<IReadOnlyList<BudgetDefinition>> BudgetsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var configured = options.Budgets;
        if (store is null)
        {
            return configured;
        }

        // Read once: InvalidateBudgets may clear the field at any moment.
        var stored = storeBudgets;
        if (stored is null || now - storeBudgetsAt > options.BudgetRefresh)
        {
            await refreshGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                stored = storeBudgets;
                if (stored is null || now - storeBudgetsAt > options.BudgetRefresh)
                {
                    stored = await store.ListBudgetsAsync(cancellationToken).ConfigureAwait(false);
                    storeBudgets = stored;
                    storeBudgetsAt = now;
                }
            }
            finally
            {
                refreshGate.Release();
            }
        }

        if (stored.Count == 0)
        {
            return configured;
        }

        // A budget set in the store overrides a configured one with the same id; merged once per pair of lists.
        if (mergedBudgets is { } m && ReferenceEquals(m.Configured, configured) && ReferenceEquals(m.Stored, stored))
        {
            return m.Merged;
        }

        var ids = stored.Select(b => b.Id).ToHashSet(StringComparer.Ordinal);
        IReadOnlyList<BudgetDefinition> merged = [.. configured.Where(b => !ids.Contains(b.Id)), .. stored];
        mergedBudgets = new BudgetMerge(configured, stored, merged);
        return merged;
    }

    /// <summary>The budget's current period, computed once per period (time-zone conversion is not free) rather than per request.</summary>
    private (DateTimeOffset Start, DateTimeOffset End) PeriodAt(BudgetDefinition budget, DateTimeOffset now)
    {
        if (periods.TryGetValue(budget, out var p) && p.Start <= now && now < p.End)
        {
            return p;
        }

        p = budget.PeriodAt(now);
        periods[budget] = p;
        return p;
    }

    private AdmissionDecision OverBudget(List<Hold>? holds, BudgetDefinition budget, string value, QuotaCounter c, DateTimeOffset end, Principal principal, bool isUsd)
    {
        Release(holds);
        var used = Math.Max(c.LedgerClaimed, c.Baseline + c.Consumed);
        var usedText = isUsd ? Usd(used) : $"{used:N0} tokens";
        var limitText = isUsd ? Usd(c.Limit) : $"{c.Limit:N0} tokens";
        var who = budget.Scope == UsageDimension.Org ? "the organization" : $"{budget.Scope.ToString().ToLowerInvariant()} {value}";
        var resets = end.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        metrics?.Refused("budget", budget.Id);
        audit?.Write("request.refused", principal.UserId, ("reason", "budget"), ("budget", budget.Id), ("scope", who), ("used", usedText), ("limit", limitText), ("resets", resets));
        var retry = end - time.GetUtcNow();
        return AdmissionDecision.Refuse(429, "billing_error",
            $"Spend cap reached: budget '{budget.Id}' ({who}, per {budget.Period.ToString().ToLowerInvariant()}) has used {usedText} of {limitText}. It resets at {resets}.",
            retry > TimeSpan.Zero ? retry : TimeSpan.FromSeconds(1),
            [new("x-should-retry", "false")]);
    }

    private void Warn(BudgetDefinition budget, string value, QuotaCounter c, DateTimeOffset end, ref List<KeyValuePair<string, string>>? headers, Principal principal, bool isUsd)
    {
        var used = Math.Max(c.LedgerClaimed - c.Unused(), c.Baseline + c.Consumed);
        if (c.Limit <= 0 || used * 100 < c.Limit * (long)budget.SoftPercent)
        {
            return;
        }

        var percent = (int)Math.Min(100, used * 100 / c.Limit);
        var resets = end.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        (headers ??= []).Add(new("x-basalt-budget-warning", $"budget {budget.Id} ({value}): {percent}% of {(isUsd ? Usd(c.Limit) : $"{c.Limit} tokens")} used; resets {resets}"));
        if (warned.TryAdd($"{c.Key}@{c.WindowStart}", true))
        {
            audit?.Write("budget.soft_threshold", principal.UserId, ("budget", budget.Id), ("scope_value", value), ("percent", percent), ("resets", resets));
        }
    }
}
