using Basalt.Testing;
using Basalt.Usage.Journal;
using Basalt.Usage.Records;
using Basalt.Usage.Stores;

namespace Basalt.Tests.Usage;

public sealed class UsageJournalTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 3, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Both ways of appending: group commit synced per commit (0) and written by the caller with a sync interval (ms).</summary>
    public static TheoryData<int> SyncIntervalsMs => new() { 0, 60_000 };

    [Theory]
    [MemberData(nameof(SyncIntervalsMs))]
    public async Task Committed_records_are_handed_over_in_memory_and_the_position_after_them_is_the_committed_end(int syncIntervalMs)
    {
        using var temp = new TempDirectory("journal-handoff");
        await using var journal = UsageJournal.Open(temp.Combine("journal"), syncInterval: TimeSpan.FromMilliseconds(syncIntervalMs));
        var appended = new List<UsageRecord>();
        for (var i = 0; i < 10; i++)
        {
            var r = UsageTestData.Record($"mem-{i}", "alice", At.AddSeconds(i));
            appended.Add(r);
            await journal.AppendAsync(r, CancellationToken.None);
        }

        var (records, next) = journal.Read(journal.ReadCheckpoint(), journal.CommittedPosition, 100);

        // The very objects that were appended: nothing was read back from the file.
        Assert.Equal(appended.Count, records.Count);
        Assert.All(records.Zip(appended), p => Assert.Same(p.Second, p.First));
        Assert.Equal(journal.CommittedPosition, next);
    }

    [Theory]
    [MemberData(nameof(SyncIntervalsMs))]
    public async Task What_overflowed_the_hand_off_is_read_from_the_files_in_order_before_what_is_still_in_memory(int syncIntervalMs)
    {
        using var temp = new TempDirectory("journal-overflow");
        // Small segments and a 4-record hand-off: the writer (here, the test) falls behind, so most records come
        // back from disk across several segment files, the newest from memory, each exactly once and in order.
        await using var journal = UsageJournal.Open(temp.Combine("journal"), segmentBytes: 2048, handoffCapacity: 4, syncInterval: TimeSpan.FromMilliseconds(syncIntervalMs));
        for (var i = 0; i < 60; i++)
        {
            await journal.AppendAsync(UsageTestData.Record($"ovf-{i:D2}", "bob", At.AddSeconds(i)), CancellationToken.None);
        }

        var ids = new List<string>();
        var at = journal.ReadCheckpoint();
        var end = journal.CommittedPosition;
        for (var guard = 0; at < end && guard < 1000; guard++)
        {
            var (records, next) = journal.Read(at, end, 7);
            ids.AddRange(records.Select(r => r.RequestId));
            Assert.True(next > at || records.Count > 0, $"no progress at {at}");
            at = next;
        }

        Assert.Equal(Enumerable.Range(0, 60).Select(i => $"ovf-{i:D2}"), ids);
        Assert.Equal(end, at);
    }

    [Theory]
    [MemberData(nameof(SyncIntervalsMs))]
    public async Task A_restart_replays_from_the_files_what_the_previous_run_did_not_move_to_the_store(int syncIntervalMs)
    {
        using var temp = new TempDirectory("journal-replay");
        var dir = temp.Combine("journal");
        await using (var first = UsageJournal.Open(dir, syncInterval: TimeSpan.FromMilliseconds(syncIntervalMs)))
        {
            for (var i = 0; i < 5; i++)
            {
                await first.AppendAsync(UsageTestData.Record($"old-{i}", "carol", At.AddSeconds(i)), CancellationToken.None);
            }
        }

        await using var second = UsageJournal.Open(dir, syncInterval: TimeSpan.FromMilliseconds(syncIntervalMs));
        await second.AppendAsync(UsageTestData.Record("new-0", "carol", At.AddMinutes(1)), CancellationToken.None);
        var ids = ReplayedIds(second);

        Assert.Equal(["old-0", "old-1", "old-2", "old-3", "old-4", "new-0"], ids);
    }

    [Fact]
    public async Task A_segment_left_with_its_zero_filled_allocation_by_a_killed_process_is_cut_at_its_last_line_and_replayed()
    {
        using var temp = new TempDirectory("journal-zero-tail");
        var dir = temp.Combine("journal");
        await AppendKeptAsync(dir);

        // What a kill -9 leaves: acknowledged lines, half a line that was never acknowledged, then the zeros the
        // journal allocated ahead of its writes.
        var segment = await AppendToSegmentAsync(dir, "{\"requestId\":\"torn"u8.ToArray(), new byte[(1 << 20) + 123]);

        await using var second = UsageJournal.Open(dir);
        var ids = ReplayedIds(second);

        Assert.Equal(["kept-0", "kept-1", "kept-2"], ids);
        Assert.Equal((byte)'\n', File.ReadAllBytes(segment)[^1]);
    }

    [Fact]
    public async Task A_segment_with_a_zero_hole_left_by_a_power_loss_is_cut_before_the_hole_and_what_follows_it_is_not_replayed()
    {
        using var temp = new TempDirectory("journal-zero-hole");
        var dir = temp.Combine("journal");
        await AppendKeptAsync(dir);

        // After a power loss the blocks of unsynced writes reach the disk in no set order: a block that did not (zeros)
        // can lie before lines that did. Nothing after such a hole was ever synced.
        var line = File.ReadAllLines(Directory.GetFiles(dir, "usage-*.jsonl").Single())[0].Replace("kept-0", "after-hole", StringComparison.Ordinal);
        var segment = await AppendToSegmentAsync(dir, new byte[4096], System.Text.Encoding.UTF8.GetBytes(line + "\n"), new byte[8192]);

        await using var second = UsageJournal.Open(dir);
        var ids = ReplayedIds(second);

        Assert.Equal(["kept-0", "kept-1", "kept-2"], ids);
        var bytes = File.ReadAllBytes(segment);
        Assert.DoesNotContain((byte)0, bytes);
        Assert.Equal((byte)'\n', bytes[^1]);
    }

    [Fact]
    public async Task With_a_sync_interval_an_append_is_written_by_the_callers_thread_and_complete_when_it_returns()
    {
        using var temp = new TempDirectory("journal-written");
        var dir = temp.Combine("journal");
        await using var journal = UsageJournal.Open(dir, segmentBytes: 4096, syncInterval: TimeSpan.FromMinutes(1));
        for (var i = 0; i < 40; i++)
        {
            var append = journal.AppendAsync(UsageTestData.Record($"direct-{i:D2}", "hana", At.AddSeconds(i)), CancellationToken.None);

            // No hop to the journal thread and back: the line is in the file (and the hand-off) before the call returns.
            Assert.True(append.IsCompletedSuccessfully);
            await append;
            var written = string.Concat(Directory.GetFiles(dir, "usage-*.jsonl").Order(StringComparer.Ordinal).Select(File.ReadAllText));
            Assert.Contains($"\"direct-{i:D2}\"", written, StringComparison.Ordinal);
            Assert.EndsWith("\n", written, StringComparison.Ordinal);
        }

        // 40 lines of a few hundred bytes rolled the 4 KB segments; the full ones were closed off the request path.
        Assert.True(journal.CommittedPosition.Segment > 1);
        Assert.Equal(0, journal.Syncs);
        Assert.Equal(Enumerable.Range(0, 40).Select(i => $"direct-{i:D2}"), ReplayedIds(journal));
    }

    [Fact]
    public async Task With_a_sync_interval_appends_complete_once_written_and_the_sync_follows_when_the_journal_goes_idle()
    {
        using var temp = new TempDirectory("journal-sync-interval");

        // A minute-long interval: appends that waited for their sync would not complete within the test's patience.
        var dir = temp.Combine("minute");
        await using (var journal = UsageJournal.Open(dir, syncInterval: TimeSpan.FromMinutes(1)))
        {
            for (var i = 0; i < 3; i++)
            {
                await journal.AppendAsync(UsageTestData.Record($"fast-{i}", "erin", At.AddSeconds(i)), CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            }

            Assert.Equal(0, journal.Syncs);
            var text = await File.ReadAllTextAsync(Directory.GetFiles(dir, "usage-*.jsonl").Single());
            Assert.Contains("fast-2", text, StringComparison.Ordinal);
        }

        // A short one: the idle journal syncs what it wrote once the interval is up, without another append.
        await using var idle = UsageJournal.Open(temp.Combine("second"), syncInterval: TimeSpan.FromMilliseconds(200));
        await idle.AppendAsync(UsageTestData.Record("idle-0", "erin", At), CancellationToken.None);
        for (var wait = 0; idle.Syncs == 0 && wait < 100; wait++)
        {
            await Task.Delay(100);
        }

        Assert.Equal(1, idle.Syncs);
    }

    [Theory]
    [MemberData(nameof(SyncIntervalsMs))]
    public async Task A_failed_write_fails_only_its_own_appends_naming_the_journal_directory_and_the_journal_goes_on_in_a_fresh_segment(int syncIntervalMs)
    {
        using var temp = new TempDirectory("journal-write-fails");
        var dir = temp.Combine("journal");
        var acknowledged = new List<string>();
        var failed = new List<string>();
        // One-byte segments: every commit rolls. The segment after the first is /dev/full, where every write fails
        // with ENOSPC (what a full disk says), so the appends committed there must fail and no others.
        await using (var journal = UsageJournal.Open(dir, segmentBytes: 1, syncInterval: TimeSpan.FromMilliseconds(syncIntervalMs)))
        {
            File.CreateSymbolicLink(Path.Combine(dir, "usage-000000000002.jsonl"), "/dev/full");
            await journal.AppendAsync(UsageTestData.Record("w-first", "erin", At), CancellationToken.None);
            acknowledged.Add("w-first");

            var burst = Enumerable.Range(0, 8).Select(i => $"w-burst-{i}").ToList();
            var outcomes = await Task.WhenAll(burst.Select(async id =>
            {
                try
                {
                    await journal.AppendAsync(UsageTestData.Record(id, "erin", At), CancellationToken.None);
                    return (id, (IOException?)null);
                }
                catch (IOException e)
                {
                    return (id, e);
                }
            }));

            Assert.Contains(outcomes, o => o.Item2 is not null);
            Assert.All(outcomes.Where(o => o.Item2 is not null), o => Assert.Contains(dir, o.Item2!.Message, StringComparison.Ordinal));
            acknowledged.AddRange(outcomes.Where(o => o.Item2 is null).Select(o => o.id));
            failed.AddRange(outcomes.Where(o => o.Item2 is not null).Select(o => o.id));

            // The pooled completions of the failed appends serve new ones: each completes once, with its own outcome.
            var after = Enumerable.Range(0, 200).Select(i => $"w-after-{i:D3}").ToList();
            await Parallel.ForEachAsync(after, new ParallelOptions { MaxDegreeOfParallelism = 16 },
                async (id, ct) => await journal.AppendAsync(UsageTestData.Record(id, "erin", At), ct));
            acknowledged.AddRange(after);
        }

        // A restart replays every acknowledged record into the store exactly once, and none that failed.
        var stored = await ReplayIntoStoreAsync(temp, dir);
        Assert.Equal(acknowledged.Order(StringComparer.Ordinal), stored.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(stored, failed.Contains);
    }

    [Theory]
    [MemberData(nameof(SyncIntervalsMs))]
    public async Task A_failed_roll_keeps_writing_the_current_segment_and_rolls_once_the_next_path_can_be_created(int syncIntervalMs)
    {
        using var temp = new TempDirectory("journal-roll-fails");
        var dir = temp.Combine("journal");
        var blocker = Path.Combine(dir, "usage-000000000002.jsonl");
        await using (var journal = UsageJournal.Open(dir, segmentBytes: 1, syncInterval: TimeSpan.FromMilliseconds(syncIntervalMs)))
        {
            // A directory where the next segment should go: opening it fails (EISDIR) on every roll.
            Directory.CreateDirectory(blocker);
            for (var i = 0; i < 5; i++)
            {
                await journal.AppendAsync(UsageTestData.Record($"k-{i}", "frank", At.AddSeconds(i)), CancellationToken.None);
            }

            Assert.Equal(5, File.ReadAllLines(Path.Combine(dir, "usage-000000000001.jsonl")).Count(l => l.StartsWith('{')));
            var first = File.ReadAllBytes(Path.Combine(dir, "usage-000000000001.jsonl"));
            Assert.Equal(new JournalPosition(1, Array.LastIndexOf(first, (byte)'\n') + 1), journal.CommittedPosition);

            // The cause goes away: the roll after the next commit succeeds, and the record after it lands in segment 2.
            Directory.Delete(blocker);
            await journal.AppendAsync(UsageTestData.Record("k-5", "frank", At.AddSeconds(5)), CancellationToken.None);
            await journal.AppendAsync(UsageTestData.Record("k-6", "frank", At.AddSeconds(6)), CancellationToken.None);
            Assert.True(journal.CommittedPosition.Segment >= 2);
            Assert.Contains("\"k-6\"", await File.ReadAllTextAsync(blocker), StringComparison.Ordinal);
        }

        var stored = await ReplayIntoStoreAsync(temp, dir);
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"k-{i}"), stored.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_finished_segment_whose_zero_tail_was_not_cut_is_read_past_to_the_next_segment()
    {
        using var temp = new TempDirectory("journal-uncut-tail");
        var dir = temp.Combine("journal");
        await using (var first = UsageJournal.Open(dir))
        {
            await first.AppendAsync(UsageTestData.Record("u-0", "gina", At), CancellationToken.None);
        }

        await using var journal = UsageJournal.Open(dir);
        // What a roll leaves when closing the full segment fails: its allocation, zeros after the last line.
        await using (var f = new FileStream(Path.Combine(dir, "usage-000000000001.jsonl"), FileMode.Append, FileAccess.Write))
        {
            await f.WriteAsync(new byte[4096]);
        }

        await journal.AppendAsync(UsageTestData.Record("u-1", "gina", At.AddSeconds(1)), CancellationToken.None);
        var ids = new List<string>();
        var at = new JournalPosition(1, 0);
        var end = journal.CommittedPosition;
        for (var guard = 0; at < end && guard < 10; guard++)
        {
            // Read from the files only (past the in-memory hand-off), as after an overflow or a restart.
            var (records, next) = journal.Read(at, end, 100);
            ids.AddRange(records.Select(r => r.RequestId));
            at = next;
        }

        Assert.Equal(end, at);
        Assert.Equal(["u-0", "u-1"], ids);
    }

    /// <summary>Opens the journal again (a restart) and lets the real store writer move it into a real SQLite store; returns the stored request ids.</summary>
    /// <summary>Every committed record's id from the checkpoint on, in order (what a restart replays).</summary>
    private static List<string> ReplayedIds(UsageJournal journal)
    {
        var ids = new List<string>();
        var at = journal.ReadCheckpoint();
        var end = journal.CommittedPosition;
        while (at < end)
        {
            var (records, next) = journal.Read(at, end, 100);
            ids.AddRange(records.Select(r => r.RequestId));
            at = next;
        }

        return ids;
    }

    /// <summary>Three acknowledged records, kept-0 to kept-2, by a journal that is then closed.</summary>
    /// <summary>Appends raw bytes to the journal's one segment file (what a crash or power loss leaves there); returns its path.</summary>
    private static async Task<string> AppendToSegmentAsync(string dir, params byte[][] parts)
    {
        var segment = Directory.GetFiles(dir, "usage-*.jsonl").Single();
        await using var f = new FileStream(segment, FileMode.Append, FileAccess.Write);
        foreach (var part in parts)
        {
            await f.WriteAsync(part);
        }

        return segment;
    }

    private static async Task AppendKeptAsync(string dir)
    {
        await using var first = UsageJournal.Open(dir);
        for (var i = 0; i < 3; i++)
        {
            await first.AppendAsync(UsageTestData.Record($"kept-{i}", "dave", At.AddSeconds(i)), CancellationToken.None);
        }
    }

    private static async Task<List<string>> ReplayIntoStoreAsync(TempDirectory temp, string dir)
    {
        await using var store = await UsageStoreFactory.OpenAndMigrateAsync("sqlite", temp.Combine("usage.db"), CancellationToken.None);
        await using (var journal = UsageJournal.Open(dir))
        {
            await using var writer = new UsageStoreWriter(journal, store);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await writer.FlushAsync(timeout.Token);
        }

        var count = await store.CountRecordsAsync(CancellationToken.None);
        var records = await store.RecentAsync(false, 10_000, CancellationToken.None);
        Assert.Equal(count, records.Count);
        return [.. records.Select(r => r.RequestId)];
    }
}
