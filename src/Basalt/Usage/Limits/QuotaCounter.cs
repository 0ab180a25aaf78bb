namespace Basalt.Usage.Limits;

/// <summary>
/// One limit's state on this replica for one window: what it has leased from the ledger (<see cref="Allowance"/>),
/// what completed requests used, and what admitted requests have reserved. A request is admitted while
/// used + reserved is below the allowance; when it is not, the counter leases another slice (one ledger call for
/// many requests). Admission then reserves the request's estimate, and completion replaces it with the metered
/// amount — so per replica at most the one request admitted last can carry usage past the allowance.
/// </summary>
#pragma warning disable CA1001 // claimGate never allocates a wait handle (no AvailableWaitHandle use), so there is nothing to dispose.
internal sealed class QuotaCounter
#pragma warning restore CA1001
{
    private readonly SemaphoreSlim claimGate = new(1, 1);
    private readonly Lock gate = new();
    private long allowance;
    private long used;
    private long reserved;
    private bool exhausted;

    public QuotaCounter(string key, long windowStart, long windowEnd, long limit)
    {
        Key = key;
        WindowStart = windowStart;
        WindowEnd = windowEnd;
        Limit = limit;
    }

    public string Key { get; }
    public long WindowStart { get; }

    /// <summary>Unix seconds when the window resets.</summary>
    public long WindowEnd { get; }

    public long Limit { get; private set; }

    /// <summary>A changed limit (budget edited) lets an exhausted counter ask the ledger again.</summary>
    public void UpdateLimit(long limit)
    {
        lock (gate)
        {
            if (limit != Limit)
            {
                Limit = limit;
                exhausted = false;
            }
        }
    }

    public long Allowance { get { lock (gate) { return allowance; } } }

    /// <summary>Used plus reserved on this replica.</summary>
    public long Consumed { get { lock (gate) { return used + reserved; } } }

    /// <summary>The window's total claimed across replicas at this replica's last lease.</summary>
    public long LedgerClaimed { get; private set; }

    /// <summary>What the ledger had already consumed when this replica first saw the window (for headers and messages).</summary>
    public long Baseline { get; private set; }

    /// <summary>Tries to reserve <paramref name="estimate"/>; leases more from the ledger when the local slice is used up.</summary>
    public async ValueTask<bool> TryReserveAsync(long estimate, IQuotaLedger ledger, long slice, Func<CancellationToken, Task<long>> initial, CancellationToken cancellationToken)
    {
        if (TryReserveLocal(estimate))
        {
            return true;
        }

        await claimGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (TryReserveLocal(estimate))
            {
                return true;
            }

            long missing;
            lock (gate)
            {
                if (exhausted)
                {
                    return false;
                }

                missing = Math.Max(used + reserved + estimate - allowance, 1);
            }

            var want = ledger.Shared ? Math.Max(slice, missing) : Limit;
            var (granted, claimed) = await ledger.ClaimAsync(Key, WindowStart, Limit, want, async ct =>
            {
                var b = await initial(ct).ConfigureAwait(false);
                Baseline = b;
                return b;
            }, cancellationToken).ConfigureAwait(false);
            lock (gate)
            {
                allowance += granted;
                LedgerClaimed = claimed;
                if (granted < want)
                {
                    // The ledger has no more for this window: stop asking until the window ends.
                    exhausted = granted == 0;
                }
            }

            return TryReserveLocal(estimate);
        }
        finally
        {
            claimGate.Release();
        }
    }

    /// <summary>Replaces a reservation with the metered amount.</summary>
    public void Complete(long estimate, long actual)
    {
        lock (gate)
        {
            reserved -= estimate;
            used += actual;
        }
    }

    /// <summary>What this replica leased but did not use (returned to the ledger on a graceful stop).</summary>
    public long Unused()
    {
        lock (gate)
        {
            return Math.Max(0, allowance - used - reserved);
        }
    }

    /// <summary>Reserves from what this replica already holds, without asking the ledger: the per-request path.</summary>
    internal bool TryReserveLocal(long estimate)
    {
        lock (gate)
        {
            // Below the allowance leased, and below the limit itself: a limit lowered during the window (a rate
            // limit or budget edited in the dashboard) applies at once even though more was leased under the old one.
            if (used + reserved < allowance && Baseline + used + reserved < Limit)
            {
                reserved += estimate;
                return true;
            }

            return false;
        }
    }
}
