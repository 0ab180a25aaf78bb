using System.Collections.Concurrent;

namespace Basalt.Usage.Limits;

/// <summary>The ledger of a single replica: process memory, no database on the hot path.</summary>
internal sealed class InMemoryQuotaLedger : IQuotaLedger
{
    private readonly ConcurrentDictionary<(string, long), long> claimed = new();
    private readonly Lock gate = new();

    public bool Shared => false;

    public async ValueTask<(long Granted, long Claimed)> ClaimAsync(string key, long windowStart, long limit, long want, Func<CancellationToken, Task<long>> initial, CancellationToken cancellationToken)
    {
        if (!claimed.TryGetValue((key, windowStart), out _))
        {
            var already = await initial(cancellationToken).ConfigureAwait(false);
            claimed.TryAdd((key, windowStart), already);
        }

        lock (gate)
        {
            var current = claimed[(key, windowStart)];
            var grant = Math.Clamp(limit - current, 0, want);
            claimed[(key, windowStart)] = current + grant;
            return (grant, current + grant);
        }
    }

    public void Forget(string key, long windowStart) => claimed.TryRemove((key, windowStart), out _);

    public ValueTask ReturnAsync(string key, long windowStart, long amount, CancellationToken cancellationToken)
    {
        claimed.AddOrUpdate((key, windowStart), 0, (_, v) => Math.Max(0, v - amount));
        return ValueTask.CompletedTask;
    }
}
