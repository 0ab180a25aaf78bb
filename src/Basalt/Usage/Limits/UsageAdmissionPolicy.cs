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
public sealed class UsageAdmissionPolicy : IAdmissionPolicy, IAsyncDisposable
{
    private volatile UsageLimitsOptions options;
    private readonly IQuotaLedger ledger;
    private readonly InMemoryQuotaLedger localLedger = new();
    private readonly IUsageStore? store;
    private readonly UsagePricer pricer;
    private readonly AuditLog? audit;
    private readonly UsageMetrics? metrics;
    private readonly TimeProvider time;
    private readonly ConcurrentDictionary<(string, long), QuotaCounter> counters = new();
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
        var holds = new List<Hold>();
        var headers = new List<KeyValuePair<string, string>>();
        if (Interlocked.Increment(ref admissions) % 4096 == 0)
        {
            Sweep(now);
        }

        try
        {
            var minute = now.ToUnixTimeSeconds() / 60 * 60;
            foreach (var rl in await RateLimitsAsync(now, cancellationToken).ConfigureAwait(false))
            {
                foreach (var value in Values(rl.Scope, request.Principal))
                {
                    if (!rl.AppliesTo(value))
                    {
                        continue;
                    }

                    var scope = $"{rl.Scope.ToString().ToLowerInvariant()} {value}";

                    // Counters are per limit (its id) and value: 'user:*' and 'user:bob' both apply to bob, each
                    // with its own count, so one request is one against each and neither limit borrows the other's.
                    var counter = $"{rl.Id}|{value}";
                    if (rl.RequestsPerMinute is { } rpm &&
                        await TryAsync(holds, ledger, $"rpm|{counter}", minute, minute + 60, rpm, 1, HoldKind.Requests, Zero, cancellationToken).ConfigureAwait(false) is { } c1)
                    {
                        return RateLimited(holds, c1, now, "requests", scope, rpm);
                    }

                    if (rl.InputTokensPerMinute is { } itpm &&
                        await TryAsync(holds, ledger, $"itpm|{counter}", minute, minute + 60, itpm, Math.Max(1, request.EstimatedInputTokens), HoldKind.InputTokens, Zero, cancellationToken).ConfigureAwait(false) is { } c2)
                    {
                        return RateLimited(holds, c2, now, "input-tokens", scope, itpm);
                    }

                    if (rl.OutputTokensPerMinute is { } otpm &&
                        await TryAsync(holds, ledger, $"otpm|{counter}", minute, minute + 60, otpm, Math.Max(1, request.MaxOutputTokens), HoldKind.OutputTokens, Zero, cancellationToken).ConfigureAwait(false) is { } c3)
                    {
                        return RateLimited(holds, c3, now, "output-tokens", scope, otpm);
                    }

                    // Concurrent streams are counted per replica (a stream's slot is held for seconds; leasing it
                    // through the database would cost two round trips per stream).
                    if (rl.ConcurrentStreams is { } streams && request.Streaming &&
                        await TryAsync(holds, localLedger, $"streams|{counter}", 0, long.MaxValue, streams, 1, HoldKind.Streams, Zero, cancellationToken).ConfigureAwait(false) is { } c4)
                    {
                        return RateLimited(holds, c4, now, "concurrent-streams", scope, streams);
                    }
                }
            }

            var (estimateUsd, _) = pricer.Price(request.ModelClientId, request.ModelRequested, request.EstimatedInputTokens, request.MaxOutputTokens, 0, 0, 0);
            var estimateNanos = Math.Max(1, UsagePricer.ToNanos(estimateUsd));
            var estimateTokens = Math.Max(1, request.EstimatedInputTokens + request.MaxOutputTokens);
            foreach (var budget in await BudgetsAsync(now, cancellationToken).ConfigureAwait(false))
            {
                foreach (var value in Values(budget.Scope, request.Principal))
                {
                    if (!budget.AppliesTo(value))
                    {
                        continue;
                    }

                    var (start, end) = budget.PeriodAt(now);
                    if (budget.ResetAt is { } reset && reset > start && reset <= now)
                    {
                        start = reset;
                    }

                    var dim = budget.Scope;
                    Func<CancellationToken, Task<UsageTotals>> spent = ct => store is null
                        ? Task.FromResult(UsageTotals.Empty)
                        : store.TotalsAsync(dim, value, start, now, ct);
                    var w = start.ToUnixTimeSeconds();
                    var e = end.ToUnixTimeSeconds();
                    if (budget.LimitUsd is { } usd)
                    {
                        var limit = UsagePricer.ToNanos(usd);
                        var c = await TryAsync(holds, ledger, $"usd|{budget.Id}|{value}", w, e, limit, estimateNanos, HoldKind.CostNanos,
                            async ct => (await spent(ct).ConfigureAwait(false)).CostNanos, cancellationToken).ConfigureAwait(false);
                        if (c is not null)
                        {
                            return OverBudget(holds, budget, value, c, end, request.Principal, isUsd: true);
                        }

                        Warn(budget, value, counters[($"usd|{budget.Id}|{value}", w)], end, headers, request.Principal, isUsd: true);
                    }

                    if (budget.LimitTokens is { } tokens)
                    {
                        var c = await TryAsync(holds, ledger, $"tok|{budget.Id}|{value}", w, e, tokens, estimateTokens, HoldKind.Tokens,
                            async ct => (await spent(ct).ConfigureAwait(false)).TotalTokens, cancellationToken).ConfigureAwait(false);
                        if (c is not null)
                        {
                            return OverBudget(holds, budget, value, c, end, request.Principal, isUsd: false);
                        }

                        Warn(budget, value, counters[($"tok|{budget.Id}|{value}", w)], end, headers, request.Principal, isUsd: false);
                    }
                }
            }

            OutageReason = null;
            return AdmissionDecision.Admit(new Ticket(this, holds), headers);
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

    private async ValueTask<QuotaCounter?> TryAsync(List<Hold> holds, IQuotaLedger which, string key, long window, long windowEnd, long limit, long estimate, HoldKind kind,
        Func<CancellationToken, Task<long>> initial, CancellationToken cancellationToken)
    {
        var counter = counters.GetOrAdd((key, window), k => new QuotaCounter(k.Item1, k.Item2, windowEnd, limit));
        counter.UpdateLimit(limit);
        var slice = Math.Max(1, (long)(limit * options.SliceFraction));
        if (!await counter.TryReserveAsync(estimate, which, slice, initial, cancellationToken).ConfigureAwait(false))
        {
            return counter;
        }

        holds.Add(new Hold(counter, estimate, kind));
        return null;
    }

    private async ValueTask<IReadOnlyList<BudgetDefinition>> BudgetsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (store is null)
        {
            return options.Budgets;
        }

        if (storeBudgets is null || now - storeBudgetsAt > options.BudgetRefresh)
        {
            await refreshGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (storeBudgets is null || now - storeBudgetsAt > options.BudgetRefresh)
                {
                    storeBudgets = await store.ListBudgetsAsync(cancellationToken).ConfigureAwait(false);
                    storeBudgetsAt = now;
                }
            }
            finally
            {
                refreshGate.Release();
            }
        }

        // A budget set in the store overrides a configured one with the same id.
        var ids = storeBudgets.Select(b => b.Id).ToHashSet(StringComparer.Ordinal);
        return [.. options.Budgets.Where(b => !ids.Contains(b.Id)), .. storeBudgets];
    }

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

    private AdmissionDecision RateLimited(List<Hold> holds, QuotaCounter c, DateTimeOffset now, string what, string scope, long limit)
    {
        Release(holds);
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

    private AdmissionDecision OverBudget(List<Hold> holds, BudgetDefinition budget, string value, QuotaCounter c, DateTimeOffset end, Principal principal, bool isUsd)
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

    private void Warn(BudgetDefinition budget, string value, QuotaCounter c, DateTimeOffset end, List<KeyValuePair<string, string>> headers, Principal principal, bool isUsd)
    {
        var used = Math.Max(c.LedgerClaimed - c.Unused(), c.Baseline + c.Consumed);
        if (c.Limit <= 0 || used * 100 < c.Limit * (long)budget.SoftPercent)
        {
            return;
        }

        var percent = (int)Math.Min(100, used * 100 / c.Limit);
        var resets = end.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        headers.Add(new("x-basalt-budget-warning", $"budget {budget.Id} ({value}): {percent}% of {(isUsd ? Usd(c.Limit) : $"{c.Limit} tokens")} used; resets {resets}"));
        if (warned.TryAdd($"{c.Key}@{c.WindowStart}", true))
        {
            audit?.Write("budget.soft_threshold", principal.UserId, ("budget", budget.Id), ("scope_value", value), ("percent", percent), ("resets", resets));
        }
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

    private static void Release(List<Hold> holds)
    {
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
                ledger.Forget(k.Item1, k.Item2);
                localLedger.Forget(k.Item1, k.Item2);
            }
        }
    }

    private static IEnumerable<string> Values(UsageDimension scope, Principal p) => scope switch
    {
        UsageDimension.User => [p.UserId],
        UsageDimension.Group => p.Groups,
        UsageDimension.Key => [p.CredentialId],
        _ => ["*"],
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

    private sealed record Hold(QuotaCounter Counter, long Estimate, HoldKind Kind);

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
