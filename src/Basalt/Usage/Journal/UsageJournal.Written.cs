using System.Buffers;
using System.Text.Json;
using Basalt.Usage.Records;

namespace Basalt.Usage.Journal;

/// <summary>
/// Appends with a sync interval (<c>usage.journalSyncInterval</c>, the gateway's default): the request's own thread
/// serializes its line and writes it (<c>pwrite</c> at the journal's end, under a lock) and the append is complete
/// when the write returns — the line is then in the page cache, which is all an acknowledgement promises in this
/// mode (it survives <c>kill -9</c>; a power loss may lose the last interval). Nothing waits for a sync, so queueing
/// the record to the journal thread and resuming the request on the pool after the group write bought nothing but
/// two thread hops per request. The journal thread here only syncs (at most once per interval, woken by the first
/// unsynced write) and closes full segments (cut, fsync, close) off the request path. Segments are not allocated
/// ahead in this mode: allocation exists so a per-commit sync need not write metadata, and one sync a second
/// writing the file's size as well costs nothing worth a zero-filled megabyte under the lock.
/// </summary>
internal sealed partial class UsageJournal
{
    /// <summary>Guards, in interval mode, the current segment, its write offset, <see cref="retired"/> and <see cref="unsyncedSince"/>; taken before <see cref="appendGate"/>, never after.</summary>
    private readonly Lock writeGate = new();

    /// <summary>Full segments (and their committed length) the journal thread has still to cut, sync and close.</summary>
    private List<(FileStream File, long Length)> retired = [];

    /// <summary>Set (under <see cref="appendGate"/>) when the journal thread has work: a first unsynced write, a full segment, the stop.</summary>
    private bool signalled;

    /// <summary>
    /// The current segment's handle, taken from its FileStream once: the <see cref="FileStream.SafeFileHandle"/>
    /// getter seeks the descriptor to the stream's position on every call (an <c>lseek</c>, 1.35% of the gateway's CPU
    /// under the bench, perf 2026-12-07, against 2.25% for the <c>pwrite</c> itself).
    /// </summary>
    private Microsoft.Win32.SafeHandles.SafeFileHandle? writtenHandle;

    [ThreadStatic]
    private static LineWriter? threadLine;

    private bool WritesDirectly => syncIntervalMs > 0;

    /// <summary>Serializes and writes one record on the caller's thread; completes once the line is written (UsageJournal.Written.cs says why).</summary>
    private ValueTask AppendWritten(UsageRecord record)
    {
        var line = threadLine ??= new LineWriter();
        try
        {
            line.Serialize(record);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            return ValueTask.FromException(new IOException($"usage journal write failed in {directory}: {ex.Message}", ex));
        }

        var wake = false;
        lock (writeGate)
        {
            if (closed)
            {
                return ValueTask.FromException(new ObjectDisposedException(nameof(UsageJournal), "the usage journal is closed"));
            }

            var length = line.Buffer.WrittenCount;
            if (writeOffset + length < dirtyEnd)
            {
                // A failed write left bytes here that were never acknowledged: cover them with zeros, which no
                // reader parses, so a restart cannot replay them behind this line (as the group commit does).
                var pad = (int)(dirtyEnd - writeOffset - length);
                line.Buffer.GetSpan(pad)[..pad].Clear();
                line.Buffer.Advance(pad);
            }

            var bytes = line.Buffer.WrittenSpan;
            try
            {
                RandomAccess.Write(writtenHandle ??= current.SafeFileHandle, bytes, writeOffset);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
            {
                dirtyEnd = Math.Max(dirtyEnd, writeOffset + bytes.Length);
                if (!failing)
                {
                    // As after a failed group commit: the first failure of a streak moves to a fresh segment.
                    failing = true;
                    wake |= RollWritten();
                }

                if (wake)
                {
                    Signal();
                }

                return ValueTask.FromException(new IOException($"usage journal write failed in {directory}: {ex.Message}", ex));
            }

            var before = new JournalPosition(currentSegment, writeOffset);
            writeOffset += length;
            dirtyEnd = 0;
            failing = false;
            if (unsyncedSince == 0)
            {
                unsyncedSince = Environment.TickCount64;
                wake = true;
            }

            lock (queue)
            {
                committedSegment = currentSegment;
                committedOffset = writeOffset;
                if (handoff.Count >= handoffCapacity)
                {
                    // The store is not keeping up (or is down): drop the hand-off, the writer reads the files.
                    handoff.Clear();
                }

                handoff.Enqueue(new JournalCommittedRecord(record, before, new JournalPosition(currentSegment, writeOffset)));
            }

            if (writeOffset >= segmentBytes)
            {
                wake |= RollWritten();
            }

            if (wake)
            {
                Signal();
            }
        }

        Committed?.Invoke();
        return ValueTask.CompletedTask;
    }

    /// <summary>Wakes the journal thread (under <see cref="writeGate"/>, or with it not held: <see cref="appendGate"/> is taken after it).</summary>
    private void Signal()
    {
        lock (appendGate)
        {
            signalled = true;
            if (writerWaiting)
            {
                writerWaiting = false;
                Monitor.Pulse(appendGate);
            }
        }
    }

    /// <summary>
    /// Moves writes to the next segment (under <see cref="writeGate"/>) and leaves the full one to the journal thread,
    /// whose close syncs it: the sync of up to an interval of lines must not hold up the requests. Returns whether
    /// the journal thread has a segment to close; false when the next segment could not be opened (the roll is tried
    /// again after the next write).
    /// </summary>
    private bool RollWritten()
    {
        if (TryOpenNextSegment() is not ({ } next, var nextLength))
        {
            return false;
        }

        retired.Add((current, writeOffset));
        MoveTo(next, nextLength);
        return true;
    }

    /// <summary>The journal thread in interval mode: closes full segments and syncs the current one at most once per interval.</summary>
    private void SyncLoop()
    {
        while (true)
        {
            List<(FileStream File, long Length)> closing;
            FileStream target;
            bool stop;
            var sync = false;
            lock (writeGate)
            {
                closing = retired;
                if (closing.Count > 0)
                {
                    retired = [];
                }

                target = current;
                stop = closed;
                if (unsyncedSince != 0 && (stop || Environment.TickCount64 - unsyncedSince >= syncIntervalMs))
                {
                    // Cleared before the sync: a write after this line sets it again and is synced next time.
                    unsyncedSince = 0;
                    sync = true;
                }
            }

            foreach (var (file, length) in closing)
            {
                CloseRetired(file, length);
            }

            if (stop)
            {
                CloseSegment(target, writeOffset);
                return;
            }

            if (sync)
            {
                try
                {
                    JournalSegmentFiles.SyncData(target);
                    Interlocked.Increment(ref syncs);
                }
                catch (IOException)
                {
                    // Those records were acknowledged already (and a crash of the process keeps them): try again soon.
                    lock (writeGate)
                    {
                        // Due again in 100 ms (or sooner, if a later write made it due sooner).
                        var retry = Math.Max(1, Environment.TickCount64 - syncIntervalMs + 100);
                        unsyncedSince = unsyncedSince == 0 ? retry : Math.Min(unsyncedSince, retry);
                    }
                }
            }

            long since;
            lock (writeGate)
            {
                since = unsyncedSince;
            }

            lock (appendGate)
            {
                if (!signalled && !closed)
                {
                    writerWaiting = true;
                    Monitor.Wait(appendGate, since == 0 ? Timeout.Infinite : (int)Math.Clamp(since + syncIntervalMs - Environment.TickCount64, 0, int.MaxValue));
                    writerWaiting = false;
                }

                signalled = false;
            }
        }
    }

    /// <summary>Closes a full segment at its committed length (<see cref="CloseSegment"/>); never throws: it runs on the journal thread.</summary>
    private static void CloseRetired(FileStream file, long length)
    {
        try
        {
            CloseSegment(file, length);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            // Readers stop at the segment's last newline; the next start cuts the rest (TruncateTornTail).
        }
    }

    /// <summary>One thread's reused line buffer: the record's JSON and its newline, serialized outside the journal's lock.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "Lives as long as its thread; a Utf8JsonWriter over an ArrayBufferWriter holds no unmanaged resource.")]
    private sealed class LineWriter
    {
        private readonly Utf8JsonWriter json;

        public LineWriter()
        {
            json = new Utf8JsonWriter(Buffer, new JsonWriterOptions { Encoder = UsageJsonContext.Default.Options.Encoder });
        }

        public ArrayBufferWriter<byte> Buffer { get; } = new(1024);

        public void Serialize(UsageRecord record)
        {
            Buffer.ResetWrittenCount();
            json.Reset(Buffer);
            JsonSerializer.Serialize(json, record, UsageJsonContext.Default.UsageRecord);
            json.Flush();
            Buffer.GetSpan(1)[0] = (byte)'\n';
            Buffer.Advance(1);
        }
    }
}
