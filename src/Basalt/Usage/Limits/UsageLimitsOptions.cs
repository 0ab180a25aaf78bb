using Basalt.Usage.Budgets;

namespace Basalt.Usage.Limits;

/// <summary>Budgets and rate limits as configured (issue 10 items 5–6). Budgets from <c>basalt budgets set</c> live in the store and are merged in.</summary>
public sealed record UsageLimitsOptions
{
    public IReadOnlyList<BudgetDefinition> Budgets { get; init; } = [];
    public IReadOnlyList<RateLimitDefinition> RateLimits { get; init; } = [];

    /// <summary>Admit requests when budgets cannot be checked because the store is down. Default false: fail closed.</summary>
    public bool FailOpen { get; init; }

    /// <summary>
    /// Share of a limit a replica leases from the shared ledger at a time (PostgreSQL). Smaller slices mean less
    /// budget stranded on an idle or crashed replica; larger ones fewer database round trips. The in-memory
    /// ledger (one replica) always grants the whole remainder.
    /// </summary>
    public decimal SliceFraction { get; init; } = 0.05m;

    /// <summary>How often budgets are re-read from the store so <c>basalt budgets set|reset</c> reaches running replicas.</summary>
    public TimeSpan BudgetRefresh { get; init; } = TimeSpan.FromSeconds(5);
}
