using Basalt.Usage.Pricing;
using Basalt.Usage.Records;
using Basalt.Usage.Stores;
using Basalt.Usage.Telemetry;

namespace Basalt.Usage.Journal;

/// <summary>
/// The gateway's <see cref="IUsageSink"/> (issue 10 item 3): prices the event, appends it to the local journal and
/// returns only once the journal has it — fsynced by a group commit, or with a sync interval written to the file (it
/// then survives any crash of the process; see UsageJournal) — so a request the gateway acknowledged is never lost;
/// a background writer moves journal batches into the store. Opening replays whatever a previous run left in the
/// journal (idempotent by request id). <see cref="DisposeAsync"/> is the graceful stop: it finishes pending appends
/// and flushes the journal into the store (bounded by <c>flushTimeout</c>; what the store cannot take stays in the
/// journal for the next start).
/// </summary>
public sealed class DurableUsageSink : IUsageSink, IAsyncDisposable
{
    private readonly UsageJournal journal;
    private readonly UsageStoreWriter writer;
    private readonly UsagePricer pricer;
    private readonly TimeSpan flushTimeout;

    private DurableUsageSink(UsageJournal journal, UsageStoreWriter writer, IUsageStore store, UsagePricer pricer, TimeSpan flushTimeout)
    {
        this.journal = journal;
        this.writer = writer;
        Store = store;
        this.pricer = pricer;
        this.flushTimeout = flushTimeout;
    }

    /// <summary>Called for each record after it is durable (budgets reconcile, metrics); must not throw.</summary>
    public event Action<UsageRecord>? Recorded;

    public IUsageStore Store { get; }

    public UsagePricer Pricer => pricer;

    /// <param name="journalSyncInterval">
    /// Null or zero: each group commit is synced before its requests are acknowledged (survives power loss).
    /// Otherwise records are acknowledged once written and synced at most this long after (they survive any crash of
    /// the gateway process; a power loss loses at most the interval). UsageJournal says why.
    /// </param>
    public static DurableUsageSink Open(string journalDirectory, IUsageStore store, UsagePricer pricer, TimeSpan? flushTimeout = null, TimeSpan? journalSyncInterval = null)
    {
        var journal = UsageJournal.Open(journalDirectory, syncInterval: journalSyncInterval ?? TimeSpan.Zero);
        var writer = new UsageStoreWriter(journal, store);
        return new DurableUsageSink(journal, writer, store, pricer, flushTimeout ?? TimeSpan.FromSeconds(30));
    }

    public UsageHealth Health
    {
        get
        {
            var end = journal.CommittedPosition;
            var at = writer.Checkpoint;
            var backlog = at.Segment == end.Segment ? end.Offset - at.Offset : Math.Max(1, end.Offset + (end.Segment - at.Segment) * 16L * 1024 * 1024 - at.Offset);
            return new UsageHealth(writer.Healthy, writer.LastError, Math.Max(0, backlog), writer.RecordsWritten);
        }
    }

    public ValueTask RecordAsync(UsageEvent usage, CancellationToken cancellationToken) =>
        RecordAsync(UsageRecord.From(usage, pricer), cancellationToken);

    /// <summary>Records an already priced record (device-reported telemetry comes this way).</summary>
    /// <remarks>Without a sync interval every call waits for a group commit, so its state machine goes to the heap: pooled, not allocated per request. With one the append completes synchronously and nothing is allocated for it.</remarks>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask RecordAsync(UsageRecord record, CancellationToken cancellationToken)
    {
        await journal.AppendAsync(record, cancellationToken).ConfigureAwait(false);
        Recorded?.Invoke(record);
    }

    /// <summary>Waits until everything journaled so far is in the store.</summary>
    public Task FlushAsync(CancellationToken cancellationToken) => writer.FlushAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await journal.DisposeAsync().ConfigureAwait(false);
        using (var cts = new CancellationTokenSource(flushTimeout))
        {
            try
            {
                await writer.FlushAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The store is down: the rest stays in the journal and is replayed at the next start.
            }
        }

        await writer.DisposeAsync().ConfigureAwait(false);
    }
}
