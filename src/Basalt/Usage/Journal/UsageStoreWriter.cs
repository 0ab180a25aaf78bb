using Basalt.Usage.Stores;

namespace Basalt.Usage.Journal;

/// <summary>
/// Moves committed journal lines into the store in batches (issue 10 item 3) and advances the persisted
/// checkpoint after each committed batch. While the store is down it retries with backoff and the backlog stays
/// on disk; <see cref="Healthy"/>/<see cref="LastError"/> feed <c>/readyz</c> and metrics. A crash between a
/// store commit and the checkpoint write replays that batch: the store skips request ids it already has.
/// The checkpoint file is written at most once per <see cref="PersistEvery"/> under load (and when the writer goes
/// idle, is flushed or stops), not after every batch: each write is a temp file, an fsync and a rename, and it only
/// bounds how much a restart replays. A checkpoint that lags the store makes a restart replay records the store
/// already has, which it skips by request id — no record is lost or counted twice, and <c>kill -9</c> still loses
/// at most what the journal had not fsynced.
/// The loop runs on its own thread: a SQLite transaction is synchronous work (binds, steps, the commit's fsync),
/// and on a thread-pool worker it made the pool add workers whose idle spinning cost the gateway more CPU than the
/// writes themselves (perf, 2026-12-07; see <see cref="UsageJournal"/>). PostgreSQL's asynchronous writes are
/// waited for on that thread; their I/O completions still run on the pool.
/// </summary>
internal sealed class UsageStoreWriter : IAsyncDisposable
{
    private readonly UsageJournal journal;
    private readonly IUsageStore store;
    private readonly int batchSize;
    private readonly CancellationTokenSource stopping = new();
    // Events without spinning (spinCount 0): a SemaphoreSlim spins (sched_yield) before it blocks, and the writer
    // waits twice per batch; on the loaded 2-core bench machine that spinning was 7% of this thread's CPU (perf,
    // 2026-12-07). The writer needs no fast hand-over: it batches on purpose.
    private readonly ManualResetEventSlim wake = new(false, 0);
    private readonly ManualResetEventSlim flushNow = new(false, 0);
    private readonly Lock caughtUpGate = new();
    private readonly TimeSpan coalesce;
    private readonly Thread thread;
    private readonly TaskCompletionSource stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private static readonly TimeSpan PersistEvery = TimeSpan.FromSeconds(1);
    private JournalPosition checkpoint;
    private JournalPosition persisted;
    private long persistedAt;
    private volatile bool flushRequested;
    private TaskCompletionSource caughtUp = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="coalesce">
    /// After writing a batch, how long to let the next one gather before writing again (not after an idle spell: the
    /// first records after it go at once). Each store transaction is a commit with an fsync (SQLite
    /// <c>synchronous=FULL</c>) plus a checkpoint write; woken by every journal group commit, the writer made a
    /// transaction of a few records each time under load. Records are already durable in the journal, so this
    /// delays only when reports see them. <see cref="FlushAsync"/> does not wait for it. 200 ms (was 50): see
    /// <see cref="DefaultCoalesce"/>.
    /// </param>
    public UsageStoreWriter(UsageJournal journal, IUsageStore store, int batchSize = 2000, TimeSpan? coalesce = null)
    {
        this.journal = journal;
        this.store = store;
        this.batchSize = batchSize;
        this.coalesce = coalesce ?? DefaultCoalesce;
        checkpoint = journal.ReadCheckpoint();
        persisted = checkpoint;
        persistedAt = Environment.TickCount64;
        journal.Committed += Wake;
        thread = new Thread(Run) { IsBackground = true, Name = "Basalt usage store writer" };
        thread.Start();
    }

    /// <summary>
    /// How long a batch gathers under load. Larger store transactions cost less per record (the fsync, the WAL frame
    /// of each shared rollup or index page and the statement set-up are paid per transaction); at the bench's
    /// 2,500–8,000 requests/s, 50 ms made transactions of 125–400 records. Reports see records this much later at
    /// most; budgets do not wait for the store (they reserve in memory).
    /// </summary>
    internal static readonly TimeSpan DefaultCoalesce = TimeSpan.FromMilliseconds(200);

    public bool Healthy { get; private set; } = true;

    public string? LastError { get; private set; }

    public long RecordsWritten => Interlocked.Read(ref recordsWritten);

    private long recordsWritten;

    public JournalPosition Checkpoint => checkpoint;

    /// <summary>Completes when everything committed to the journal so far is in the store.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var target = journal.CommittedPosition;
        while (checkpoint < target)
        {
            Task wait;
            lock (caughtUpGate)
            {
                wait = caughtUp.Task;
            }

            flushRequested = true;
            Wake();
            flushNow.Set();
            await wait.WaitAsync(TimeSpan.FromMilliseconds(200), cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    public async ValueTask DisposeAsync()
    {
        journal.Committed -= Wake;
        await stopping.CancelAsync().ConfigureAwait(false);
        Wake();
        await stopped.Task.ConfigureAwait(false);
        stopping.Dispose();
        flushNow.Dispose();
    }

    /// <summary>
    /// Called after every journal group commit. One pending wake is enough (the loop reads up to the committed end
    /// each time): counting one per commit made the loop spin through thousands of empty passes after a burst.
    /// </summary>
    private void Wake()
    {
        if (!wake.IsSet)
        {
            wake.Set();
        }
    }

    private void PersistCheckpoint()
    {
        journal.WriteCheckpoint(checkpoint);
        persisted = checkpoint;
        persistedAt = Environment.TickCount64;
    }

    private void Run()
    {
        try
        {
            Loop();
            stopped.TrySetResult();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            stopped.TrySetException(ex);
        }
    }

    private void Loop()
    {
        var backoff = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            // Reset before reading the end: a commit after this line sets the event again, one before it is in 'end'.
            wake.Reset();
            var end = journal.CommittedPosition;
            var progressed = false;
            try
            {
                while (checkpoint < end)
                {
                    var (records, next) = journal.Read(checkpoint, end, batchSize);
                    if (records.Count > 0)
                    {
                        store.WriteAsync(records, CancellationToken.None).GetAwaiter().GetResult();
                        Interlocked.Add(ref recordsWritten, records.Count);
                    }

                    checkpoint = next;
                    progressed = true;
                    Healthy = true;
                    LastError = null;
                    backoff = TimeSpan.FromMilliseconds(100);
                }

                if (checkpoint != persisted && (!progressed || flushRequested || stopping.IsCancellationRequested
                    || Environment.TickCount64 - persistedAt >= (long)PersistEvery.TotalMilliseconds))
                {
                    flushRequested = false;
                    PersistCheckpoint();
                }

                lock (caughtUpGate)
                {
                    caughtUp.TrySetResult();
                    caughtUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Store down or failing: keep the backlog in the journal and retry. Never drop a record.
                Healthy = false;
                LastError = ex.Message;
                if (stopping.IsCancellationRequested)
                {
                    return;
                }

                stopping.Token.WaitHandle.WaitOne(backoff);
                backoff = TimeSpan.FromMilliseconds(Math.Min(backoff.TotalMilliseconds * 2, 5000));
                continue;
            }

            if (stopping.IsCancellationRequested && !progressed && checkpoint >= journal.CommittedPosition)
            {
                return;
            }

            try
            {
                if (!progressed)
                {
                    // Woken by each journal commit; the timeout batches a trickle of requests.
                    wake.Wait(TimeSpan.FromSeconds(1), stopping.IsCancellationRequested ? CancellationToken.None : stopping.Token);
                }
                else if (!stopping.IsCancellationRequested && coalesce > TimeSpan.Zero)
                {
                    // Under load: let the next batch gather (see the constructor), unless someone waits in FlushAsync.
                    flushNow.Wait(coalesce, stopping.Token);
                    flushNow.Reset();
                }
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
