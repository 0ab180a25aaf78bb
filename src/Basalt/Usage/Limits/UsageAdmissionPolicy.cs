using System.Collections.Concurrent;
using System.Globalization;
using Basalt.Identity;
using Basalt.Usage.Audit;
using Basalt.Usage.Budgets;
using Basalt.Usage.Pricing;
using Basalt.Usage.Stores;
using Basalt.Usage.Telemetry;

namespace Basalt.Usage.Limits;

/// <summary>
/// Budgets and rate limits as the gateway's <see cref="IAdmissionPolicy"/> (issue 10 items 5–6). Rate limits are
/// checked first (memory only), then budgets. Each limit is a <see cref="QuotaCounter"/> per scope value and window
/// leasing from an <see cref="IQuotaLedger"/>: in memory for one replica, PostgreSQL for several — a database call
/// only when a replica's slice runs out, never per request. Budgets reserve the worst-case cost (input estimate +
/// <c>max_tokens</c> output at list price) and are reconciled with the metered cost when the ticket completes.
/// When a budget cannot be checked (store down) the request is refused with 503 unless <see cref="UsageLimitsOptions.FailOpen"/>.
/// Overshoot bound (docs/usage.md): per budget window, total spend ≤ cap + R × C, R = replicas, C = the largest
/// single request's cost; rpm never exceeds the limit per minute window; token limits by at most R × one request.
/// </summary>
public sealed partial class UsageAdmissionPolicy : IAdmissionPolicy, IAsyncDisposable
{
    private volatile UsageLimitsOptions options;
    private readonly IQuotaLedger ledger;
    private readonly InMemoryQuotaLedger localLedger = new();
    private readonly IUsageStore? store;
    private readonly UsagePricer pricer;
    private readonly AuditLog? audit;
    private readonly UsageMetrics? metrics;
    private readonly TimeProvider time;
    private readonly ConcurrentDictionary<CounterKey, QuotaCounter> counters = new();
    private readonly ConcurrentDictionary<BudgetDefinition, (DateTimeOffset Start, DateTimeOffset End)> periods = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<RateLimitDefinition, string> limitIds = new(ReferenceEqualityComparer.Instance);
    private volatile BudgetMerge? mergedBudgets;
    private readonly ConcurrentDictionary<string, bool> warned = new();
    private readonly SemaphoreSlim refreshGate = new(1, 1);
    private IReadOnlyList<BudgetDefinition>? storeBudgets;
    private DateTimeOffset storeBudgetsAt;
    private volatile StoreRateLimits? storeRateLimits;
    private long admissions;

    private UsageAdmissionPolicy(UsageLimitsOptions options, IQuotaLedger ledger, IUsageStore? store, UsagePricer pricer, AuditLog? audit, UsageMetrics? metrics, TimeProvider? time)
    {
        this.options = options;
        this.ledger = ledger;
        this.store = store;
        this.pricer = pricer;
        this.audit = audit;
        this.metrics = metrics;
        this.time = time ?? TimeProvider.System;
    }

    /// <summary>One replica: limits in memory; budgets seeded from (and edited in) <paramref name="store"/> if given.</summary>
    public static UsageAdmissionPolicy SingleReplica(UsageLimitsOptions options, UsagePricer pricer, IUsageStore? store = null, AuditLog? audit = null, UsageMetrics? metrics = null, TimeProvider? time = null) =>
        new(options, new InMemoryQuotaLedger(), store, pricer, audit, metrics, time);

    /// <summary>Several replicas sharing the PostgreSQL <paramref name="store"/>: limits leased in slices from it.</summary>
    public static UsageAdmissionPolicy Shared(UsageLimitsOptions options, UsagePricer pricer, IUsageStore store, AuditLog? audit = null, UsageMetrics? metrics = null, TimeProvider? time = null) =>
        new(options, new PostgresQuotaLedger(store), store, pricer, audit, metrics, time);

    /// <summary>
    /// Swaps in the budgets and rate limits of a reloaded configuration. Counters keep what was already used in the
    /// current windows, so a raised or lowered limit applies to the rest of the window, not from zero.
    /// </summary>
    public void ReplaceLimits(UsageLimitsOptions next)
    {
        ArgumentNullException.ThrowIfNull(next);
        options = next;
    }

    /// <summary>True while budgets cannot be checked (for <c>/readyz</c>).</summary>
    public string? OutageReason { get; private set; }

    /// <summary>
    /// Forgets the cached store budgets so this replica's next request reads them again (a budget just set or reset
    /// through the dashboard applies at once here; other replicas within <see cref="UsageLimitsOptions.BudgetRefresh"/>).
    /// </summary>
    public void InvalidateBudgets() => storeBudgets = null;

    /// <summary>
    /// Forgets the cached store rate limits (one set or deleted through the dashboard applies at this replica's next
    /// request; at the others within <see cref="UsageLimitsOptions.BudgetRefresh"/>).
    /// </summary>
    public void InvalidateRateLimits()
    {
        if (storeRateLimits is { } current)
        {
            storeRateLimits = current with { At = DateTimeOffset.MinValue };
        }
    }

    /// <summary>The rate limits in force: the configuration's, each replaced by a store limit with the same id, plus the store's others.</summary>
    public async ValueTask<IReadOnlyList<RateLimitDefinition>> RateLimitsAsync(CancellationToken cancellationToken) =>
        await RateLimitsAsync(time.GetUtcNow(), cancellationToken).ConfigureAwait(false);

    public async ValueTask<AdmissionDecision> AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        List<Hold>? holds = null;
        List<KeyValuePair<string, string>>? headers = null;
        if (Interlocked.Increment(ref admissions) % 4096 == 0)
        {
            Sweep(now);
        }

        // Per request this is the gateway's hot path: no strings are built and nothing is priced unless a limit
        // applies (counter keys are looked up by their parts; a refusal's texts are made only when refusing).
        try
        {
            var minute = now.ToUnixTimeSeconds() / 60 * 60;
            foreach (var rl in await RateLimitsAsync(now, cancellationToken).ConfigureAwait(false))
            {
                var id = LimitId(rl);
                for (var i = 0; i < ValueCount(rl.Scope, request.Principal); i++)
                {
                    var value = ValueAt(rl.Scope, request.Principal, i);
                    if (!rl.AppliesTo(value))
                    {
                        continue;
                    }

                    // Counters are per limit (its id) and value: 'user:*' and 'user:bob' both apply to bob, each
                    // with its own count, so one request is one against each and neither limit borrows the other's.
                    if (rl.RequestsPerMinute is { } rpm &&
                        await TryAsync(holds ??= [], ledger, new CounterKey("rpm", id, value, minute), minute + 60, rpm, 1, HoldKind.Requests, null, cancellationToken).ConfigureAwait(false) is { } c1)
                    {
                        return RateLimited(holds, c1, now, "requests", rl, value, rpm);
                    }

                    if (rl.InputTokensPerMinute is { } itpm &&
                        await TryAsync(holds ??= [], ledger, new CounterKey("itpm", id, value, minute), minute + 60, itpm, Math.Max(1, request.EstimatedInputTokens), HoldKind.InputTokens, null, cancellationToken).ConfigureAwait(false) is { } c2)
                    {
                        return RateLimited(holds, c2, now, "input-tokens", rl, value, itpm);
                    }

                    if (rl.OutputTokensPerMinute is { } otpm &&
                        await TryAsync(holds ??= [], ledger, new CounterKey("otpm", id, value, minute), minute + 60, otpm, Math.Max(1, request.MaxOutputTokens), HoldKind.OutputTokens, null, cancellationToken).ConfigureAwait(false) is { } c3)
                    {
                        return RateLimited(holds, c3, now, "output-tokens", rl, value, otpm);
                    }

                    // Concurrent streams are counted per replica (a stream's slot is held for seconds; leasing it
                    // through the database would cost two round trips per stream).
                    if (rl.ConcurrentStreams is { } streams && request.Streaming &&
                        await TryAsync(holds ??= [], localLedger, new CounterKey("streams", id, value, 0), long.MaxValue, streams, 1, HoldKind.Streams, null, cancellationToken).ConfigureAwait(false) is { } c4)
                    {
                        return RateLimited(holds, c4, now, "concurrent-streams", rl, value, streams);
                    }
                }
            }

            long estimateNanos = -1;
            var estimateTokens = Math.Max(1, request.EstimatedInputTokens + request.MaxOutputTokens);
            foreach (var budget in await BudgetsAsync(now, cancellationToken).ConfigureAwait(false))
            {
                for (var i = 0; i < ValueCount(budget.Scope, request.Principal); i++)
                {
                    var value = ValueAt(budget.Scope, request.Principal, i);
                    if (!budget.AppliesTo(value))
                    {
                        continue;
                    }

                    var (start, end) = PeriodAt(budget, now);
                    if (budget.ResetAt is { } reset && reset > start && reset <= now)
                    {
                        start = reset;
                    }

                    var w = start.ToUnixTimeSeconds();
                    var e = end.ToUnixTimeSeconds();
                    if (budget.LimitUsd is { } usd)
                    {
                        if (estimateNanos < 0)
                        {
                            var (estimateUsd, _) = pricer.Price(request.ModelClientId, request.ModelRequested, request.EstimatedInputTokens, request.MaxOutputTokens, 0, 0, 0);
                            estimateNanos = Math.Max(1, UsagePricer.ToNanos(estimateUsd));
                        }

                        var limit = UsagePricer.ToNanos(usd);
                        var key = new CounterKey("usd", budget.Id, value, w);
                        var c = await TryAsync(holds ??= [], ledger, key, e, limit, estimateNanos, HoldKind.CostNanos,
                            new SpentQuery(budget.Scope, value, start, now, Cost: true), cancellationToken).ConfigureAwait(false);
                        if (c is not null)
                        {
                            return OverBudget(holds, budget, value, c, end, request.Principal, isUsd: true);
                        }

                        Warn(budget, value, counters[key], end, ref headers, request.Principal, isUsd: true);
                    }

                    if (budget.LimitTokens is { } tokens)
                    {
                        var key = new CounterKey("tok", budget.Id, value, w);
                        var c = await TryAsync(holds ??= [], ledger, key, e, tokens, estimateTokens, HoldKind.Tokens,
                            new SpentQuery(budget.Scope, value, start, now, Cost: false), cancellationToken).ConfigureAwait(false);
                        if (c is not null)
                        {
                            return OverBudget(holds, budget, value, c, end, request.Principal, isUsd: false);
                        }

                        Warn(budget, value, counters[key], end, ref headers, request.Principal, isUsd: false);
                    }
                }
            }

            if (OutageReason is not null)
            {
                OutageReason = null;
            }

            // Nothing held and nothing to say (no limit applies): one shared answer, no ticket to complete.
            return holds is null && headers is null ? AdmittedFreely : AdmissionDecision.Admit(holds is null ? AdmissionTicket.None : new Ticket(this, holds), headers);
        }
        catch (Exception ex) when (ex is not OperationCanceledException && IsStoreFailure(ex))
        {
            Release(holds);
            OutageReason = $"usage store unavailable: {ex.Message}";
            audit?.Write("usage.store_unavailable", request.Principal.UserId, ("request_id", request.RequestId), ("fail_open", options.FailOpen), ("error", ex.Message));
            if (options.FailOpen)
            {
                return AdmissionDecision.Admit(AdmissionTicket.None, [new("x-basalt-budget-unchecked", "usage store unavailable; admitted because budgets fail open")]);
            }

            metrics?.Refused("budget", "store-unavailable");
            return AdmissionDecision.Refuse(503, "api_error",
                "Budgets cannot be checked because the usage store is unavailable, and this gateway is configured to refuse requests then (budgets fail closed). Try again shortly; an administrator can see the cause in /readyz.",
                TimeSpan.FromSeconds(5), [new("x-should-retry", "true")]);
        }
    }

    /// <summary>Graceful stop: gives back what this replica leased but did not use.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!ledger.Shared)
        {
            return;
        }

        foreach (var c in counters.Values)
        {
            var unused = c.Unused();
            if (unused > 0 && c.WindowEnd > time.GetUtcNow().ToUnixTimeSeconds() && !c.Key.StartsWith("streams|", StringComparison.Ordinal))
            {
                try
                {
                    await ledger.ReturnAsync(c.Key, c.WindowStart, unused, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception ex) when (IsStoreFailure(ex))
                {
                    // Unreturned slices stay claimed until their window ends: under-use, never overshoot.
                }
            }
        }
    }

    private static readonly Func<CancellationToken, Task<long>> Zero = _ => Task.FromResult(0L);

    /// <summary>
    /// Reserves <paramref name="estimate"/> on the counter for <paramref name="key"/>; null when reserved, else the
    /// counter that refused. <paramref name="spent"/> says how to read what the store already counted in the
    /// window (budgets; null for rate limits, which start at zero): only turned into a query when the counter must
    /// ask the ledger, so the per-request path allocates no closure.
    /// </summary>
    private async ValueTask<QuotaCounter?> TryAsync(List<Hold> holds, IQuotaLedger which, CounterKey key, long windowEnd, long limit, long estimate, HoldKind kind,
        SpentQuery? spent, CancellationToken cancellationToken)
    {
        if (!counters.TryGetValue(key, out var counter))
        {
            // The ledger's key (also the PostgreSQL row's) is built once per counter, not per request.
            counter = counters.GetOrAdd(key, k => new QuotaCounter($"{k.Kind}|{k.Id}|{k.Value}", k.Window, windowEnd, limit));
        }

        counter.UpdateLimit(limit);
        var slice = Math.Max(1, (long)(limit * options.SliceFraction));
        if (!counter.TryReserveLocal(estimate) &&
            !await counter.TryReserveAsync(estimate, which, slice, Initial(spent), cancellationToken).ConfigureAwait(false))
        {
            return counter;
        }

        holds.Add(new Hold(counter, estimate, kind));
        return null;
    }

    /// <summary>A rate limit's id (<see cref="RateLimitDefinition.Id"/> formats it on every read), once per definition.</summary>
    private string LimitId(RateLimitDefinition limit) => limitIds.TryGetValue(limit, out var id) ? id : limitIds.GetOrAdd(limit, l => l.Id);

    private async ValueTask<IReadOnlyList<RateLimitDefinition>> RateLimitsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var configured = options.RateLimits;
        if (store is null)
        {
            return configured;
        }

        var cached = storeRateLimits;
        if (cached is null || now - cached.At > options.BudgetRefresh)
        {
            await refreshGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                cached = storeRateLimits;
                if (cached is null || now - cached.At > options.BudgetRefresh)
                {
                    try
                    {
                        cached = new StoreRateLimits(await store.ListRateLimitsAsync(cancellationToken).ConfigureAwait(false), now, null, null);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException && IsStoreFailure(ex))
                    {
                        // Rate limits are enforced in memory; a store that cannot be read keeps the last limits read
                        // (or the configuration's) rather than refusing traffic. Budgets decide fail open/closed.
                        cached = (cached ?? new StoreRateLimits([], now, null, null)) with { At = now };
                    }

                    storeRateLimits = cached;
                }
            }
            finally
            {
                refreshGate.Release();
            }
        }

        if (cached.Stored.Count == 0)
        {
            return configured;
        }

        if (ReferenceEquals(cached.MergedFrom, configured) && cached.Merged is { } merged)
        {
            return merged;
        }

        var ids = cached.Stored.Select(l => l.Id).ToHashSet(StringComparer.Ordinal);
        merged = [.. configured.Where(l => !ids.Contains(l.Id)), .. cached.Stored];
        storeRateLimits = cached with { MergedFrom = configured, Merged = merged };
        return merged;
    }

    private AdmissionDecision RateLimited(List<Hold>? holds, QuotaCounter c, DateTimeOffset now, string what, RateLimitDefinition rl, string value, long limit)
    {
        Release(holds);
        var scope = $"{rl.Scope.ToString().ToLowerInvariant()} {value}";
        var reset = DateTimeOffset.FromUnixTimeSeconds(c.WindowEnd == long.MaxValue ? now.ToUnixTimeSeconds() + 1 : c.WindowEnd);
        var retry = reset - now;
        if (retry < TimeSpan.FromSeconds(1))
        {
            retry = TimeSpan.FromSeconds(1);
        }

        metrics?.Refused("rate_limit", what);
        var message = what == "concurrent-streams"
            ? $"Rate limit: {scope} already has {limit} concurrent streams open, the most allowed. Retry when one finishes."
            : $"Rate limit: {scope} may use {limit} {what.Replace('-', ' ')} per minute and has used them all in this minute; the window resets at {reset.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}.";
        audit?.Write("request.refused", null, ("reason", "rate_limit"), ("limit", what), ("scope", scope), ("limit_value", limit));
        var prefix = what == "concurrent-streams" ? "anthropic-ratelimit-requests" : "anthropic-ratelimit-" + what;
        return AdmissionDecision.Refuse(429, "rate_limit_error", message, retry,
        [
            new($"{prefix}-limit", limit.ToString(CultureInfo.InvariantCulture)),
            new($"{prefix}-remaining", "0"),
            new($"{prefix}-reset", reset.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)),
        ]);
    }

    private void Complete(List<Hold> holds, UsageEvent? usage)
    {
        long costNanos = 0;
        if (usage is not null && holds.Any(h => h.Kind == HoldKind.CostNanos))
        {
            costNanos = UsagePricer.ToNanos(pricer.Price(usage).Usd);
        }

        foreach (var h in holds)
        {
            var actual = h.Kind switch
            {
                HoldKind.Requests => 1,
                HoldKind.InputTokens => usage is null ? 0 : usage.InputTokens + usage.CacheWrite5mTokens + usage.CacheWrite1hTokens,
                HoldKind.OutputTokens => usage?.OutputTokens ?? 0,
                HoldKind.Streams => 0,
                HoldKind.CostNanos => costNanos,
                _ => usage is null ? 0 : usage.InputTokens + usage.OutputTokens + usage.CacheReadTokens + usage.CacheWrite5mTokens + usage.CacheWrite1hTokens,
            };
            h.Counter.Complete(h.Estimate, actual);
        }
    }

    private static void Release(List<Hold>? holds)
    {
        if (holds is null)
        {
            return;
        }

        foreach (var h in holds)
        {
            h.Counter.Complete(h.Estimate, 0);
        }

        holds.Clear();
    }

    private void Sweep(DateTimeOffset now)
    {
        var cutoff = now.ToUnixTimeSeconds() - 120;
        foreach (var (k, c) in counters)
        {
            if (c.WindowEnd < cutoff)
            {
                counters.TryRemove(k, out _);
                ledger.Forget(c.Key, c.WindowStart);
                localLedger.Forget(c.Key, c.WindowStart);
            }
        }

        // Budgets re-read from the store are new objects every refresh: let the per-definition memos start over.
        periods.Clear();
        limitIds.Clear();
    }

    /// <summary>How many values of <paramref name="scope"/> the principal has (its groups; one user, key or organization).</summary>
    private static int ValueCount(UsageDimension scope, Principal p) => scope == UsageDimension.Group ? p.Groups.Count : 1;

    private static string ValueAt(UsageDimension scope, Principal p, int i) => scope switch
    {
        UsageDimension.User => p.UserId,
        UsageDimension.Group => p.Groups[i],
        UsageDimension.Key => p.CredentialId,
        _ => "*",
    };

    private static string Usd(long nanos) => "$" + UsagePricer.FromNanos(nanos).ToString("0.00##", CultureInfo.InvariantCulture);

    private static bool IsStoreFailure(Exception ex) =>
        ex is System.Data.Common.DbException or IOException or TimeoutException or System.Net.Sockets.SocketException or InvalidOperationException;

    private enum HoldKind
    {
        Requests,
        InputTokens,
        OutputTokens,
        Streams,
        CostNanos,
        Tokens,
    }

    /// <summary>The store's rate limits as last read, and their merge with the configuration they were merged with.</summary>
    private sealed record StoreRateLimits(IReadOnlyList<RateLimitDefinition> Stored, DateTimeOffset At, IReadOnlyList<RateLimitDefinition>? MergedFrom, IReadOnlyList<RateLimitDefinition>? Merged);

    private readonly record struct Hold(QuotaCounter Counter, long Estimate, HoldKind Kind);

    /// <summary>What a budget's counter reads from the store when it starts: the scope value's cost or tokens from the period's start.</summary>
    private readonly record struct SpentQuery(UsageDimension Dim, string Value, DateTimeOffset Start, DateTimeOffset Now, bool Cost);

    /// <summary>A counter's identity: kind (rpm, itpm, otpm, streams, usd, tok), limit or budget id, scope value, window start.</summary>
    private readonly record struct CounterKey(string Kind, string Id, string Value, long Window);

    private sealed record BudgetMerge(IReadOnlyList<BudgetDefinition> Configured, IReadOnlyList<BudgetDefinition> Stored, IReadOnlyList<BudgetDefinition> Merged);

    /// <summary>Admitted with nothing reserved and no header: shared by every request no limit applies to.</summary>
    private static readonly AdmissionDecision AdmittedFreely = AdmissionDecision.Admit(AdmissionTicket.None);

    private sealed class Ticket(UsageAdmissionPolicy policy, List<Hold> holds) : AdmissionTicket
    {
        private int completed;

        public override ValueTask CompleteAsync(UsageEvent? usage, CancellationToken cancellationToken)
        {
            if (Interlocked.Exchange(ref completed, 1) == 0)
            {
                policy.Complete(holds, usage);
            }

            return ValueTask.CompletedTask;
        }
    }
}
