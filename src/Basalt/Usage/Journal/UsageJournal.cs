using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using Basalt.Usage.Records;

namespace Basalt.Usage.Journal;

/// <summary>
/// The local append-only usage journal (issue 10 item 3; ARCHITECTURE.md "Usage is durable"). One JSON line per
/// record in numbered segment files (<c>usage-000000000001.jsonl</c>). Appends are group-committed: one writer
/// loop takes every record queued since its last write, writes them with one <c>write</c> and one <c>fsync</c>,
/// then completes all their appends together, so <see cref="AppendAsync"/> returns only once the record is on
/// disk and the cost of an fsync is shared by all concurrent requests. Segments are allocated ahead in zero-filled
/// steps (<see cref="AllocateStep"/>, made durable with one fsync each), so a group commit overwrites blocks that
/// already exist and only needs <c>fdatasync</c>: on this machine's ext4 an append plus fsync took 4 ms at the
/// median, a write into allocated blocks plus fdatasync 0.1 ms — and every acknowledged request waits for it. The
/// zero tail is never read (readers stop at the committed offset; a finished or reopened segment is cut at its
/// last newline, and no JSON line contains a zero byte). A record whose append returned survives
/// <c>kill -9</c> and power loss; one still waiting for its group's fsync was never acknowledged.
/// The store writer takes committed records from a bounded in-memory hand-off (the same objects, no JSON read-back:
/// reading and deserializing the lines was 4% of the gateway's CPU under load, dotnet-trace 2026-12-07); it reads
/// the files only for what is not there — what a previous run left (replay at start) and what overflowed the
/// hand-off while the store was down — so an outage of the store still costs disk, not memory.
/// The group commit runs on a dedicated thread, not the thread pool: it blocks in <c>write</c> and <c>fdatasync</c>,
/// and a pool worker blocked there made the pool add threads whose idle spinning (<c>sched_yield</c>) was 15% of the
/// gateway's CPU under load against 5% with usage off (perf, 2026-12-07). Records are serialized on that thread
/// straight into one reused buffer (no per-record array, no copy into a batch array), and each append waits on a
/// pooled completion source rather than a new <see cref="TaskCompletionSource"/>.
/// No gathering window before a commit: under the gateway bench (64 concurrent, 4,300–4,800 requests/s, load 7–10)
/// commits already carried 9–23 records each (fdatasync calls counted with <c>perf stat</c>, 2026-12-07), because
/// requests queue behind the previous fdatasync (about 1 ms of wall time here); the journal thread cost 13–15 µs
/// per request, most of it the fdatasync itself. A window would add latency to every request for a few µs of CPU.
/// With a sync interval (<c>usage.journalSyncInterval</c>, the gateway's default of 1 s) an append is acknowledged
/// once its line is written (in the operating system's page cache) by the request's own thread, and <c>fdatasync</c>
/// runs at most once per interval (UsageJournal.Written.cs). An acknowledged record then still survives <c>kill -9</c>
/// and any crash of the gateway (the kernel holds the write); a power loss or kernel crash loses at most the last
/// interval — issue 10's "kill -9 loses at most the fsync window", with that window confined to the machine itself
/// failing. Measured: the journal thread's CPU per request fell from 13.9 (sync per commit) to 7.5 µs with the interval
/// through the group commit, and to 0.0–0.3 µs written by the request's thread (gateway bench, 2026-12-07;
/// docs/usage.md has the runs). Without an interval (the library default) every commit is synced before it is
/// acknowledged, and everything above about the group commit applies.
/// </summary>
internal sealed partial class UsageJournal : IAsyncDisposable
{
    private const string CheckpointFile = "checkpoint";

    private readonly string directory;
    private readonly long segmentBytes;
    /// <summary>Guards <see cref="incoming"/>, <see cref="closed"/> and <see cref="writerWaiting"/>; the writer thread waits on it.</summary>
    private readonly object appendGate = new();
    private readonly Thread writerThread;
    private readonly TaskCompletionSource stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<JournalAppend> pendingPool = new();
    private readonly ArrayBufferWriter<byte> lines = new(64 * 1024);
    private readonly Utf8JsonWriter json;
    private List<JournalAppend> incoming = new(256);
    private List<JournalAppend> spare = new(256);
    private bool closed;
    private bool writerWaiting;

    /// <summary>Guards the committed position and the hand-off (the writer thread and the store writer).</summary>
    private readonly Lock queue = new();

    /// <summary>Committed records not yet taken by the store writer, oldest first; guarded by <c>queue</c>.</summary>
    private readonly Queue<JournalCommittedRecord> handoff = new();
    private readonly int handoffCapacity;
    private const long AllocateStep = 1 << 20;
    private FileStream current;
    private long writeOffset;
    private long allocatedEnd;
    private long currentSegment;
    private long committedSegment;
    private long committedOffset;

    /// <summary>The end of bytes a failed commit may have left past <see cref="writeOffset"/> in the current segment (0: none).</summary>
    private long dirtyEnd;

    /// <summary>True from a failed commit until the next one that succeeds (one roll per streak of failures, not one per batch).</summary>
    private bool failing;

    /// <summary>Zero: every commit is synced before it is acknowledged; otherwise the longest a written line stays unsynced.</summary>
    private readonly long syncIntervalMs;

    /// <summary><see cref="Environment.TickCount64"/> of the first write since the last sync (0: everything written is synced).</summary>
    private long unsyncedSince;

    private long syncs;

    /// <summary>How many times the journal synced its current segment after writing (tests).</summary>
    internal long Syncs => Interlocked.Read(ref syncs);

    private UsageJournal(string directory, long segmentBytes, long nextSegment, int handoffCapacity, TimeSpan syncInterval)
    {
        syncIntervalMs = (long)syncInterval.TotalMilliseconds;
        this.directory = directory;
        this.handoffCapacity = handoffCapacity;
        this.segmentBytes = segmentBytes;
        currentSegment = nextSegment;
        OpenCurrent(nextSegment);
        committedSegment = nextSegment;
        committedOffset = 0;
        json = new Utf8JsonWriter(lines, new JsonWriterOptions { Encoder = UsageJsonContext.Default.Options.Encoder });
        writerThread = new Thread(WriteLoop) { IsBackground = true, Name = "Basalt usage journal" };
        writerThread.Start();
    }

    /// <summary>Raised after each group commit (on the journal's thread) or, with a sync interval, each write (on the appending thread); must be cheap.</summary>
    public event Action? Committed;

    public string Directory => directory;

    /// <summary>The end of what is durably on disk; the store writer reads up to here.</summary>
    public JournalPosition CommittedPosition
    {
        get
        {
            lock (queue)
            {
                return new JournalPosition(committedSegment, committedOffset);
            }
        }
    }

    /// <summary>
    /// Opens (creating) the journal in <paramref name="directory"/>. A torn last line left by a crash in an older
    /// segment is cut off (it was never acknowledged); appends always go to a fresh segment.
    /// </summary>
    public static UsageJournal Open(string directory, long segmentBytes = 16 * 1024 * 1024, int handoffCapacity = 65536, TimeSpan syncInterval = default)
    {
        System.IO.Directory.CreateDirectory(directory);
        var segments = JournalSegmentFiles.ListSegments(directory);
        foreach (var s in segments)
        {
            JournalSegmentFiles.TruncateTornTail(JournalSegmentFiles.SegmentPath(directory, s));
        }

        var next = segments.Count == 0 ? 1 : segments[^1] + 1;
        return new UsageJournal(directory, segmentBytes, next, handoffCapacity, syncInterval);
    }

    public ValueTask AppendAsync(UsageRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (WritesDirectly)
        {
            // Written before this returns: nothing left to wait for, so nothing to cancel.
            return AppendWritten(record);
        }

        if (!pendingPool.TryDequeue(out var pending))
        {
            pending = new JournalAppend(pendingPool);
        }

        pending.Record = record;
        var done = new ValueTask(pending, pending.Version);
        lock (appendGate)
        {
            if (closed)
            {
                throw new ObjectDisposedException(nameof(UsageJournal), "the usage journal is closed");
            }

            incoming.Add(pending);
            if (writerWaiting)
            {
                // Only an idle writer needs waking; under load it finds the record when its current commit ends.
                writerWaiting = false;
                Monitor.Pulse(appendGate);
            }
        }

        // The wait is cancellable, the write is not: once queued, the record will be written, and a caller that
        // stops waiting must not believe otherwise.
        return cancellationToken.CanBeCanceled ? new ValueTask(done.AsTask().WaitAsync(cancellationToken)) : done;
    }

    public async ValueTask DisposeAsync()
    {
        lock (writeGate)
        {
            lock (appendGate)
            {
                if (!closed)
                {
                    closed = true;
                    signalled = true;
                    Monitor.Pulse(appendGate);
                }
            }
        }

        await stopped.Task.ConfigureAwait(false);
    }

    /// <summary>The group commit, on its own thread: takes everything appended since the last commit, writes it with one write and one sync.</summary>
    private void WriteLoop()
    {
        try
        {
            if (WritesDirectly)
            {
                SyncLoop();
                stopped.TrySetResult();
                return;
            }

            while (true)
            {
                List<JournalAppend> batch;
                lock (appendGate)
                {
                    while (incoming.Count == 0 && !closed)
                    {
                        writerWaiting = true;
                        Monitor.Wait(appendGate);
                    }

                    if (incoming.Count == 0 && closed)
                    {
                        break;
                    }

                    batch = incoming;
                    incoming = spare;
                }

                Commit(batch);
                batch.Clear();
                spare = batch;
            }

            CloseSegment(current, writeOffset);
            stopped.TrySetResult();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The loop is gone (the last close failed, or a bug): no append may wait for it forever. Those queued
            // fail now; later ones are refused as after a stop.
            List<JournalAppend> orphans;
            lock (writeGate)
            {
                lock (appendGate)
                {
                    closed = true;
                    orphans = incoming;
                    incoming = [];
                }
            }

            Fail(orphans, new IOException($"usage journal in {directory} stopped: {ex.Message}", ex));
            stopped.TrySetException(ex);
        }
    }

    private void Commit(List<JournalAppend> batch)
    {
        try
        {
            // One JSON line per record, serialized straight into the batch buffer; each line's end is kept for the hand-off.
            lines.ResetWrittenCount();
            foreach (var p in batch)
            {
                json.Reset(lines);
                JsonSerializer.Serialize(json, p.Record!, UsageJsonContext.Default.UsageRecord);
                json.Flush();
                lines.GetSpan(1)[0] = (byte)'\n';
                lines.Advance(1);
                p.LineEnd = lines.WrittenCount;
            }

            var length = lines.WrittenCount;
            if (writeOffset + length < dirtyEnd)
            {
                // A failed commit wrote lines here that were never acknowledged (its fdatasync may have failed after
                // the write went to the page cache): cover them with zeros, which no reader parses, so a restart
                // after kill -9 cannot replay them behind this batch.
                var pad = (int)(dirtyEnd - writeOffset - length);
                lines.GetSpan(pad)[..pad].Clear();
                lines.Advance(pad);
            }

            var bytes = lines.WrittenSpan;
            var before = new JournalPosition(committedSegment, committedOffset);
            var startOffset = writeOffset;
            dirtyEnd = Math.Max(dirtyEnd, writeOffset + bytes.Length);
            Allocate(writeOffset + bytes.Length);
            current.Position = writeOffset;
            current.Write(bytes);
            JournalSegmentFiles.SyncData(current);
            Interlocked.Increment(ref syncs);
            writeOffset += length;
            dirtyEnd = 0;
            failing = false;
            lock (queue)
            {
                committedSegment = currentSegment;
                committedOffset = writeOffset;
                if (handoff.Count + batch.Count > handoffCapacity)
                {
                    // The store is not keeping up (or is down): drop the hand-off, the writer reads the files.
                    handoff.Clear();
                }

                foreach (var p in batch)
                {
                    var after = new JournalPosition(currentSegment, startOffset + p.LineEnd);
                    handoff.Enqueue(new JournalCommittedRecord(p.Record!, before, after));
                    before = after;
                }
            }

        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            // A full or failing disk: the requests are told (they were not recorded) rather than acknowledged.
            Fail(batch, new IOException($"usage journal write failed in {directory}: {ex.Message}", ex));
            if (!failing)
            {
                // The first failure of a streak moves to a fresh segment: a handle or file that went bad (an I/O
                // error, a segment path that is not a regular file) is left behind. Later failures stay where they
                // are, so a full disk does not create a new empty segment per request.
                failing = true;
                Roll();
            }

            Committed?.Invoke();
            return;
        }

        // Completed exactly once, after the sync and outside the try: a pooled completion source that was already
        // completed (and possibly reused by another append) must never be failed by a later error.
        Release(batch);

        if (writeOffset >= segmentBytes)
        {
            Roll();
        }

        Committed?.Invoke();
    }

    /// <summary>Fails the appends of a batch that was not made durable; their waiters resume on the pool, never on the journal's thread.</summary>
    private static void Fail(List<JournalAppend> batch, IOException failure)
    {
        if (batch.Count == 0)
        {
            return;
        }

        var failed = batch.ToArray();
        ThreadPool.UnsafeQueueUserWorkItem(static s =>
        {
            foreach (var p in s.Failed)
            {
                p.Complete(s.Failure);
            }
        }, (Failed: failed, Failure: failure), preferLocal: false);
    }

    /// <summary>
    /// Resumes the waiting requests of a committed batch on the thread pool, in at most one work item per core, each
    /// running its share of the continuations inline. One work item per request (what
    /// <c>RunContinuationsAsynchronously</c> does) made every group commit wake a pool worker per request, and the
    /// workers that found nothing left spun in the pool's semaphore (<c>sched_yield</c>): 13.6% of the gateway's CPU
    /// with usage on against 5.7% with it off (perf, 2026-12-07). The journal's own thread never runs a
    /// continuation: it must be free for the next commit.
    /// </summary>
    private static void Release(List<JournalAppend> batch)
    {
        var count = batch.Count;
        var chunks = Math.Min(Environment.ProcessorCount, count);
        var at = 0;
        for (var c = 0; c < chunks; c++)
        {
            var size = (count - at) / (chunks - c);
            var slice = new JournalAppend[size];
            batch.CopyTo(at, slice, 0, size);
            at += size;
            ThreadPool.UnsafeQueueUserWorkItem(static s =>
            {
                foreach (var p in s)
                {
                    p.Complete(null);
                }
            }, slice, preferLocal: false);
        }
    }

    /// <summary>
    /// Moves appends to the next segment. The new segment is opened before the full one is closed, so a failure
    /// leaves the journal writing where it was (the roll is tried again after the next commit). Never throws: it runs
    /// on the journal's thread, whose death would leave every later append waiting forever.
    /// </summary>
    private void Roll()
    {
        if (TryOpenNextSegment() is not ({ } next, var nextLength))
        {
            return;
        }

        try
        {
            CloseSegment(current, writeOffset);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            // The full segment keeps its zero tail (never parsed: no newline follows it); the next start cuts it (TruncateTornTail).
        }

        MoveTo(next, nextLength);
    }

    /// <summary>Makes <paramref name="next"/> (of <paramref name="length"/> bytes, 0 for a new segment) the segment appends go to, committed to its start.</summary>
    private void MoveTo(FileStream next, long length)
    {
        current = next;
        writtenHandle = null;
        currentSegment++;
        writeOffset = allocatedEnd = length;
        dirtyEnd = 0;
        lock (queue)
        {
            committedSegment = currentSegment;
            committedOffset = writeOffset;
        }
    }

    /// <summary>Opens the segment after the current one, with its length; null if it cannot be opened (a roll leaves the journal writing where it was).</summary>
    private (FileStream File, long Length)? TryOpenNextSegment()
    {
        FileStream next;
        try
        {
            next = new FileStream(JournalSegmentFiles.SegmentPath(directory, currentSegment + 1), FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read | FileShare.Delete, bufferSize: 0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return null;
        }

        try
        {
            return (next, next.Length);
        }
        catch (Exception ex) when (ex is IOException or NotSupportedException)
        {
            next.Dispose();
            return null;
        }
    }

    [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(current))]
    private void OpenCurrent(long segment)
    {
        current = new FileStream(JournalSegmentFiles.SegmentPath(directory, segment), FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read | FileShare.Delete, bufferSize: 0);
        writeOffset = allocatedEnd = current.Length;
    }

    /// <summary>
    /// Cuts a finished segment at <paramref name="length"/> (dropping the zero tail of its allocation, or bytes a failed
    /// write left: readers of a finished segment read to its end), syncs it and closes it; closed even when that fails.
    /// </summary>
    private static void CloseSegment(FileStream file, long length)
    {
        try
        {
            file.SetLength(length);
            file.Flush(flushToDisk: true);
        }
        finally
        {
            file.Dispose();
        }
    }

    /// <summary>Makes sure the blocks up to <paramref name="end"/> exist on disk (zeros, fsynced once), so the group commit only syncs data.</summary>
    private void Allocate(long end)
    {
        if (end <= allocatedEnd)
        {
            return;
        }

        var target = Math.Max(end, allocatedEnd + AllocateStep);
        var zeros = new byte[64 * 1024];
        current.Position = allocatedEnd;
        for (var at = allocatedEnd; at < target; at += zeros.Length)
        {
            current.Write(zeros, 0, (int)Math.Min(zeros.Length, target - at));
        }

        current.Flush(flushToDisk: true);
        allocatedEnd = target;
    }
}
