using Basalt.Testing;
using Basalt.Usage.Journal;
using Basalt.Usage.Stores;

namespace Basalt.Tests.Usage;

public sealed class DurableUsageSinkTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 3, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Every_acknowledged_record_reaches_the_store_once_and_a_graceful_stop_flushes()
    {
        using var temp = new TempDirectory("usage-sink");
        var store = await UsageStoreFactory.OpenAndMigrateAsync("sqlite", temp.Combine("usage.db"), CancellationToken.None);
        await using (store)
        {
            var sink = DurableUsageSink.Open(temp.Combine("journal"), store, UsageTestData.Pricer());
            await Parallel.ForEachAsync(Enumerable.Range(0, 500), new ParallelOptions { MaxDegreeOfParallelism = 32 },
                async (i, ct) => await sink.RecordAsync(UsageTestData.Event($"req-{i}", $"user-{i % 7}", At.AddSeconds(i)), ct));
            await sink.DisposeAsync();

            Assert.Equal(500, await store.CountRecordsAsync(CancellationToken.None));
            var rows = await store.ReportAsync(new UsageReportQuery(ReportBy.User, At.AddHours(-1), At.AddHours(2)), CancellationToken.None);
            Assert.Equal(500, rows.Sum(r => r.Totals.Requests));
            Assert.Equal(500 * 1000, rows.Sum(r => r.Totals.InputTokens));
        }
    }

    [Fact]
    public async Task Records_taken_while_the_store_is_down_stay_in_the_journal_and_a_restart_replays_them()
    {
        using var temp = new TempDirectory("usage-outage");
        var connection = await PostgresCluster.CreateDatabaseAsync("outage");
        var missing = new Npgsql.NpgsqlConnectionStringBuilder(connection) { Database = "no_such_database_" + Guid.NewGuid().ToString("N")[..8] }.ConnectionString;
        var down = UsageStoreFactory.Open("postgresql", missing);
        var sink = DurableUsageSink.Open(temp.Combine("journal"), down, UsageTestData.Pricer(), flushTimeout: TimeSpan.FromMilliseconds(300));
        for (var i = 0; i < 50; i++)
        {
            await sink.RecordAsync(UsageTestData.Event($"down-{i}", "alice", At.AddSeconds(i)), CancellationToken.None);
        }

        await Task.Delay(300);
        Assert.False(sink.Health.StoreHealthy);
        Assert.Contains("no_such_database", sink.Health.LastError ?? string.Empty, StringComparison.Ordinal);
        Assert.True(sink.Health.BacklogBytes > 0);
        await sink.DisposeAsync();
        await down.DisposeAsync();

        var up = await UsageStoreFactory.OpenAndMigrateAsync("postgresql", connection, CancellationToken.None);
        await using (up)
        {
            var again = DurableUsageSink.Open(temp.Combine("journal"), up, UsageTestData.Pricer());
            await again.FlushAsync(CancellationToken.None);
            Assert.True(again.Health.StoreHealthy);
            await again.DisposeAsync();
            Assert.Equal(50, await up.CountRecordsAsync(CancellationToken.None));
        }
    }

    [Fact]
    public async Task Replaying_a_journal_whose_checkpoint_was_lost_counts_nothing_twice_and_skips_a_torn_last_line()
    {
        using var temp = new TempDirectory("usage-replay");
        var store = await UsageStoreFactory.OpenAndMigrateAsync("sqlite", temp.Combine("usage.db"), CancellationToken.None);
        await using (store)
        {
            var journal = temp.Combine("journal");
            var sink = DurableUsageSink.Open(journal, store, UsageTestData.Pricer());
            for (var i = 0; i < 20; i++)
            {
                await sink.RecordAsync(UsageTestData.Event($"r-{i}", "bob", At), CancellationToken.None);
            }

            await sink.DisposeAsync();

            // A crash between the store commit and the checkpoint write, plus a half-written line from a killed process.
            File.Delete(Path.Combine(journal, "checkpoint"));
            var segment = Directory.GetFiles(journal, "usage-*.jsonl").Order(StringComparer.Ordinal).Last();
            await File.AppendAllTextAsync(segment, "{\"requestId\":\"torn\",\"timest");

            var again = DurableUsageSink.Open(journal, store, UsageTestData.Pricer());
            await again.FlushAsync(CancellationToken.None);
            await again.DisposeAsync();
            Assert.Equal(20, await store.CountRecordsAsync(CancellationToken.None));
            var totals = await store.TotalsAsync(UsageDimension.User, "bob", At.AddDays(-1), At.AddDays(1), CancellationToken.None);
            Assert.Equal(20, totals.Requests);
            // The replayed segment is deleted once the store has it; if it is still there the torn line is gone.
            Assert.False(File.Exists(segment) && (await File.ReadAllTextAsync(segment)).Contains("torn", StringComparison.Ordinal));
        }
    }
}
