using Basalt.Testing;
using Basalt.Usage.Journal;
using Basalt.Usage.Records;

namespace Basalt.Tests.Usage;

public sealed class UsageJournalTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 3, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Committed_records_are_handed_over_in_memory_and_the_position_after_them_is_the_committed_end()
    {
        using var temp = new TempDirectory("journal-handoff");
        await using var journal = UsageJournal.Open(temp.Combine("journal"));
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

    [Fact]
    public async Task What_overflowed_the_hand_off_is_read_from_the_files_in_order_before_what_is_still_in_memory()
    {
        using var temp = new TempDirectory("journal-overflow");
        // Small segments and a 4-record hand-off: the writer (here, the test) falls behind, so most records come
        // back from disk across several segment files, the newest from memory, each exactly once and in order.
        await using var journal = UsageJournal.Open(temp.Combine("journal"), segmentBytes: 2048, handoffCapacity: 4);
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

    [Fact]
    public async Task A_restart_replays_from_the_files_what_the_previous_run_did_not_move_to_the_store()
    {
        using var temp = new TempDirectory("journal-replay");
        var dir = temp.Combine("journal");
        await using (var first = UsageJournal.Open(dir))
        {
            for (var i = 0; i < 5; i++)
            {
                await first.AppendAsync(UsageTestData.Record($"old-{i}", "carol", At.AddSeconds(i)), CancellationToken.None);
            }
        }

        await using var second = UsageJournal.Open(dir);
        await second.AppendAsync(UsageTestData.Record("new-0", "carol", At.AddMinutes(1)), CancellationToken.None);
        var ids = new List<string>();
        var at = second.ReadCheckpoint();
        var end = second.CommittedPosition;
        while (at < end)
        {
            var (records, next) = second.Read(at, end, 100);
            ids.AddRange(records.Select(r => r.RequestId));
            at = next;
        }

        Assert.Equal(["old-0", "old-1", "old-2", "old-3", "old-4", "new-0"], ids);
    }

    [Fact]
    public async Task A_segment_left_with_its_zero_filled_allocation_by_a_killed_process_is_cut_at_its_last_line_and_replayed()
    {
        using var temp = new TempDirectory("journal-zero-tail");
        var dir = temp.Combine("journal");
        await using (var first = UsageJournal.Open(dir))
        {
            for (var i = 0; i < 3; i++)
            {
                await first.AppendAsync(UsageTestData.Record($"kept-{i}", "dave", At.AddSeconds(i)), CancellationToken.None);
            }
        }

        // What a kill -9 leaves: acknowledged lines, half a line that was never acknowledged, then the zeros the
        // journal allocated ahead of its writes.
        var segment = Directory.GetFiles(dir, "usage-*.jsonl").Single();
        await using (var f = new FileStream(segment, FileMode.Append, FileAccess.Write))
        {
            await f.WriteAsync("{\"requestId\":\"torn"u8.ToArray());
            await f.WriteAsync(new byte[(1 << 20) + 123]);
        }

        await using var second = UsageJournal.Open(dir);
        var ids = new List<string>();
        var at = second.ReadCheckpoint();
        var end = second.CommittedPosition;
        while (at < end)
        {
            var (records, next) = second.Read(at, end, 100);
            ids.AddRange(records.Select(r => r.RequestId));
            at = next;
        }

        Assert.Equal(["kept-0", "kept-1", "kept-2"], ids);
        Assert.Equal((byte)'\n', File.ReadAllBytes(segment)[^1]);
    }
}
