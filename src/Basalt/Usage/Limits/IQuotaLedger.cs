namespace Basalt.Usage.Limits;

/// <summary>
/// Where replicas lease slices of a limit for a window (issue 10 item 6: "each replica leases slices of a budget
/// or window from the database"). A claim is atomic: the sum granted for one key and window never exceeds the
/// limit, so across any number of replicas admission can overshoot only by what each replica lets through beyond
/// its own leases (at most one request each; see docs).
/// </summary>
internal interface IQuotaLedger
{
    /// <summary>True when every replica shares this ledger (claims are worth batching into slices).</summary>
    bool Shared { get; }

    /// <summary>
    /// Grants up to <paramref name="want"/> of <paramref name="key"/>'s window; <paramref name="initial"/> is asked
    /// once, when the window is first seen, for what was already consumed in it (e.g. spend so far this month).
    /// Returns the grant and the window's total claimed after it (all replicas).
    /// </summary>
    ValueTask<(long Granted, long Claimed)> ClaimAsync(string key, long windowStart, long limit, long want, Func<CancellationToken, Task<long>> initial, CancellationToken cancellationToken);

    /// <summary>Drops a finished window from memory (the in-memory ledger must not grow with time).</summary>
    void Forget(string key, long windowStart);

    /// <summary>Gives back an unused part of a lease (graceful stop).</summary>
    ValueTask ReturnAsync(string key, long windowStart, long amount, CancellationToken cancellationToken);
}
