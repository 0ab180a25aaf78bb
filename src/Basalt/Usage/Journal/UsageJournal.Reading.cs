using System.Globalization;
using System.Text.Json;
using Basalt.IO;
using Basalt.Usage.Records;

namespace Basalt.Usage.Journal;

/// <summary>
/// The store writer's side of the journal: the persisted checkpoint, and reading committed records from the
/// in-memory hand-off or, for what is not there (a previous run's backlog, an overflow while the store was down),
/// from the segment files. The appending side (group commit, sync, segments) is in UsageJournal.cs.
/// </summary>
internal sealed partial class UsageJournal
{
    /// <summary>The persisted store checkpoint: everything before it is in the store.</summary>
    public JournalPosition ReadCheckpoint()
    {
        var path = Path.Combine(directory, CheckpointFile);
        if (!File.Exists(path))
        {
            var segments = JournalSegmentFiles.ListSegments(directory);
            return new JournalPosition(segments.Count == 0 ? currentSegment : segments[0], 0);
        }

        var parts = File.ReadAllText(path).Trim().Split(':');
        return new JournalPosition(long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture));
    }

    /// <summary>Persists the checkpoint and deletes segments wholly before it.</summary>
    public void WriteCheckpoint(JournalPosition position)
    {
        AtomicFile.WriteAllBytes(Path.Combine(directory, CheckpointFile), System.Text.Encoding.ASCII.GetBytes(position.ToString()));
        JournalSegmentFiles.DeleteBefore(directory, position.Segment);
    }

    /// <summary>
    /// Reads up to <paramref name="maxRecords"/> committed records from <paramref name="from"/>, never past
    /// <paramref name="end"/>. Returns the position after the last record read (moving to the next segment at
    /// the end of a finished one).
    /// </summary>
    public (List<UsageRecord> Records, JournalPosition Next) Read(JournalPosition from, JournalPosition end, int maxRecords)
    {
        lock (queue)
        {
            // Entries at or before 'from' were read from disk already (replay, or after an overflow).
            while (handoff.Count > 0 && handoff.Peek().After <= from)
            {
                handoff.Dequeue();
            }

            if (handoff.Count > 0)
            {
                var head = handoff.Peek();
                if (head.Before == from)
                {
                    var taken = new List<UsageRecord>(Math.Min(maxRecords, handoff.Count));
                    var at = from;
                    while (taken.Count < maxRecords && handoff.Count > 0 && handoff.Peek().After <= end)
                    {
                        var c = handoff.Dequeue();
                        taken.Add(c.Record);
                        at = c.After;
                    }

                    return (taken, at);
                }

                // What lies before the hand-off's first record comes from the files, up to that record.
                if (head.Before < end)
                {
                    end = head.Before;
                }
            }
        }

        return ReadFiles(from, end, maxRecords);
    }

    private (List<UsageRecord> Records, JournalPosition Next) ReadFiles(JournalPosition from, JournalPosition end, int maxRecords)
    {
        var records = new List<UsageRecord>();
        var position = from;
        while (records.Count < maxRecords && position < end)
        {
            var path = JournalSegmentFiles.SegmentPath(directory, position.Segment);
            if (!File.Exists(path))
            {
                position = NextExisting(position.Segment, end);
                continue;
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
            var limit = position.Segment == end.Segment ? end.Offset : stream.Length;
            stream.Position = position.Offset;
            var offset = position.Offset;
            var buffer = new MemoryStream();
            int b;
            while (records.Count < maxRecords && offset < limit && (b = stream.ReadByte()) >= 0)
            {
                offset++;
                if (b != '\n')
                {
                    buffer.WriteByte((byte)b);
                    continue;
                }

                if (buffer.Length > 0)
                {
                    records.Add(JsonSerializer.Deserialize(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), UsageJsonContext.Default.UsageRecord)
                        ?? throw new InvalidDataException($"{path}: empty journal record at offset {offset}"));
                }

                buffer.SetLength(0);
            }

            position = new JournalPosition(position.Segment, offset - buffer.Length);
            // A finished segment ends at its last newline; bytes after it (a zero tail or what a failed commit left,
            // when closing could not cut them) were never committed. Without moving on here, the store writer asked
            // for the same position again and again and never reached the next segment.
            if (records.Count < maxRecords && position.Segment < end.Segment && offset >= limit)
            {
                position = NextExisting(position.Segment, end);
            }
            else
            {
                break;
            }
        }

        return (records, position);
    }

    private JournalPosition NextExisting(long segment, JournalPosition end)
    {
        foreach (var s in JournalSegmentFiles.ListSegments(directory))
        {
            if (s > segment)
            {
                return new JournalPosition(s, 0);
            }
        }

        return end;
    }
}
