using System.Globalization;
using Basalt.Testing;
using Basalt.Usage;
using Basalt.Usage.Records;
using Basalt.Usage.Reports;
using Basalt.Usage.Stores;

namespace Basalt.Tests.Usage;

/// <summary>
/// Day rollups made by folding hours (schema version 8, SqlUsageStore.Compaction) on both stores: reports equal the
/// records whether an hour is folded or not, late records reach folded days, an upgraded store keeps its figures,
/// two writers sharing one store never fold a day twice, a replica still on version 7 during a rolling upgrade is
/// counted once, and a record stamped in the future folds nothing early.
/// </summary>
public sealed class UsageStoreCompactionTests
{
    public static TheoryData<string> Kinds => new() { "sqlite", "postgresql" };

    private static readonly DateTimeOffset Day = new(2026, 10, 5, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Four days of three people, one record an hour each (carl in two groups), in time order.</summary>
    private static List<UsageRecord> FourDays(string prefix = "r")
    {
        var records = new List<UsageRecord>();
        for (var h = 0; h < 96; h++)
        {
            var at = Day.AddHours(h).AddMinutes(h % 60);
            records.Add(UsageTestData.Record($"{prefix}a{h:D3}", "alice", at, 1000 + h, 100, groups: ["eng"]));
            records.Add(UsageTestData.Record($"{prefix}b{h:D3}", "bob", at.AddMinutes(1), 10, 5 + h, model: "claude-haiku-5", groups: ["ops"]));
            records.Add(UsageTestData.Record($"{prefix}c{h:D3}", "carl", at.AddMinutes(2), 7, 7, groups: ["eng", "ops"]));
        }

        return records;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Days_are_folded_from_their_hours_once_a_record_is_15_minutes_past_their_end_and_reports_equal_the_records_either_way(string kind)
    {
        var (store, cleanup) = await UsageStoreFixture.OpenAsync(kind);
        using (cleanup)
        await using (store)
        {
            var sql = (SqlUsageStore)store;
            var records = FourDays();
            Assert.Equal(0, await sql.DayWatermarkAsync(CancellationToken.None));

            // Batches of 10 in time order, as the journal writer delivers them.
            for (var i = 0; i < records.Count; i += 10)
            {
                await store.WriteAsync(records.Skip(i).Take(10).ToList(), CancellationToken.None);
            }

            // The last record is at day 3 23:37: days 0-2 ended more than 15 minutes before it and are folded, day 3 is not.
            var watermark = await sql.DayWatermarkAsync(CancellationToken.None);
            Assert.Equal(Day.AddDays(3).ToUnixTimeSeconds(), watermark);
            var rows = await RollupsAsync(sql);
            Assert.Equal([0, 1, 2], rows.Where(r => r.Size == "d").Select(r => (int)((r.Start - Day.ToUnixTimeSeconds()) / 86400)).Distinct().Order());
            AssertDaysEqualTheirHours(rows, watermark);

            await AssertReportsEqualRecordsAsync(store, records);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_record_arriving_after_its_hour_was_folded_updates_that_day_row_directly(string kind)
    {
        var (store, cleanup) = await UsageStoreFixture.OpenAsync(kind);
        using (cleanup)
        await using (store)
        {
            var sql = (SqlUsageStore)store;
            var records = FourDays();
            await store.WriteAsync(records, CancellationToken.None);
            var watermark = await sql.DayWatermarkAsync(CancellationToken.None);
            Assert.Equal(Day.AddDays(3).ToUnixTimeSeconds(), watermark);

            // Journal replay of a day-0 record (again, and a new one) after day 0 was folded; a new one at the end of folded day 2.
            var late3 = UsageTestData.Record("late-3", "erin", Day.AddDays(2).AddHours(23).AddMinutes(50), 700, 70, groups: ["ops"]);
            Assert.Equal(1, await store.WriteAsync([late3], CancellationToken.None));
            records.Add(late3);
            var late = UsageTestData.Record("late-1", "dora", Day.AddHours(13).AddMinutes(30), 5000, 500, groups: ["eng"]);
            Assert.Equal(1, await store.WriteAsync([records[5], late], CancellationToken.None));
            records.Add(late);

            var rows = await RollupsAsync(sql);
            AssertDaysEqualTheirHours(rows, watermark);
            Assert.Contains(rows, r => r is { Size: "d", Dim: "user", Value: "dora" } && r.Start == Day.ToUnixTimeSeconds() && r.Values[1] == 5000);
            Assert.Contains(rows, r => r is { Size: "d", Dim: "member", Value: "ops|erin" } && r.Start == Day.AddDays(2).ToUnixTimeSeconds() && r.Values[1] == 700);
            await AssertReportsEqualRecordsAsync(store, records);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Upgrading_a_version_7_store_keeps_its_figures_and_folds_its_last_day_from_its_hours(string kind)
    {
        using var temp = new TempDirectory("usage-compaction");
        var target = kind == "sqlite" ? temp.Combine("usage.db") : await PostgresCluster.CreateDatabaseAsync("usage");
        await using var store = (SqlUsageStore)UsageStoreFactory.Open(kind, target);
        Assert.Equal(7, await store.MigrateAsync(7, CancellationToken.None));

        // Version 7's writer: day rows for every day, the last one included.
        var records = FourDays();
        var firstThree = records.Where(r => r.TimestampMs < Day.AddDays(3).AddHours(12).ToUnixTimeMilliseconds()).ToList();
        await store.WriteAsync(firstThree, CancellationToken.None);
        var before = await store.ReportAsync(new UsageReportQuery(ReportBy.User, Day, Day.AddDays(4)), CancellationToken.None);
        Assert.Contains((await RollupsAsync(store)), r => r.Size == "d" && r.Start == Day.AddDays(3).ToUnixTimeSeconds());

        Assert.Equal(10, await store.MigrateAsync(CancellationToken.None));
        Assert.Equal(Day.AddDays(3).ToUnixTimeSeconds(), await store.DayWatermarkAsync(CancellationToken.None));
        var rows = await RollupsAsync(store);
        Assert.DoesNotContain(rows, r => r.Size == "d" && r.Start >= Day.AddDays(3).ToUnixTimeSeconds());
        AssertDaysEqualTheirHours(rows, Day.AddDays(3).ToUnixTimeSeconds());
        Assert.Equal(Totals(before), Totals(await store.ReportAsync(new UsageReportQuery(ReportBy.User, Day, Day.AddDays(4)), CancellationToken.None)));

        // The rest of day 3 (not folded: the day has not ended), then a record the next day: day 3 is folded from its
        // hours, old and new alike.
        await store.WriteAsync(records.Except(firstThree).ToList(), CancellationToken.None);
        Assert.Equal(Day.AddDays(3).ToUnixTimeSeconds(), await store.DayWatermarkAsync(CancellationToken.None));
        await AssertReportsEqualRecordsAsync(store, records);
        var next = UsageTestData.Record("next-day", "alice", Day.AddDays(4).AddHours(2), groups: ["eng"]);
        await store.WriteAsync([next], CancellationToken.None);
        records.Add(next);
        var watermark = await store.DayWatermarkAsync(CancellationToken.None);
        Assert.Equal(Day.AddDays(4).ToUnixTimeSeconds(), watermark);
        AssertDaysEqualTheirHours(await RollupsAsync(store), watermark);
        await AssertReportsEqualRecordsAsync(store, records);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_replica_still_running_a_version_7_build_during_a_rolling_upgrade_has_its_records_counted_once(string kind)
    {
        var (store, cleanup) = await UsageStoreFixture.OpenAsync(kind);
        using (cleanup)
        await using (store)
        {
            var sql = (SqlUsageStore)store;
            var records = FourDays();
            var upgraded = records.Where(r => r.TimestampMs < Day.AddDays(3).AddHours(12).ToUnixTimeMilliseconds()).ToList();
            await store.WriteAsync(upgraded, CancellationToken.None);
            Assert.Equal(Day.AddDays(3).ToUnixTimeSeconds(), await sql.DayWatermarkAsync(CancellationToken.None));

            // The rest of day 3 comes through a replica not yet upgraded: a version 7 writer stores the records and their
            // hour rows as this one does, and also adds every record to its day row, whatever the watermark.
            var old = records.Except(upgraded).ToList();
            await WriteAsVersion7Async(sql, old);
            Assert.Contains(await RollupsAsync(sql), r => r.Size == "d" && r.Start == Day.AddDays(3).ToUnixTimeSeconds());
            await AssertReportsEqualRecordsAsync(store, records);

            // The upgraded replica folds day 3 once the next day's records come: the day row takes the sum of its hours.
            var next = UsageTestData.Record("next-day", "alice", Day.AddDays(4).AddHours(2), groups: ["eng"]);
            await store.WriteAsync([next], CancellationToken.None);
            records.Add(next);
            var watermark = await sql.DayWatermarkAsync(CancellationToken.None);
            Assert.Equal(Day.AddDays(4).ToUnixTimeSeconds(), watermark);
            AssertDaysEqualTheirHours(await RollupsAsync(sql), watermark);
            await AssertReportsEqualRecordsAsync(store, records);

            // The old replica's records of a folded day take the late path: the day row, as for a replayed record.
            var late = UsageTestData.Record("late-old", "dora", Day.AddDays(1).AddHours(4), 300, 30, groups: ["ops"]);
            await WriteAsVersion7Async(sql, [late]);
            records.Add(late);
            await AssertReportsEqualRecordsAsync(store, records);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Upgrading_a_version_9_store_keeps_every_rollup_row_and_indexes_only_day_rows_by_value(string kind)
    {
        using var temp = new TempDirectory("usage-compaction");
        var target = kind == "sqlite" ? temp.Combine("usage.db") : await PostgresCluster.CreateDatabaseAsync("usage");
        await using var store = (SqlUsageStore)UsageStoreFactory.Open(kind, target);
        Assert.Equal(9, await store.MigrateAsync(9, CancellationToken.None));
        Assert.Equal(["usage_rollups_value"], (await RollupIndexesAsync(store)).Where(i => !i.EndsWith("_pkey", StringComparison.Ordinal)));

        // Version 9's writer up to day 2 09:00 (days 0 and 1 folded into day rows, day 2 in hour rows only).
        var records = FourDays();
        var firstPart = records.Where(r => r.TimestampMs < Day.AddDays(2).AddHours(9).ToUnixTimeMilliseconds()).ToList();
        for (var i = 0; i < firstPart.Count; i += 10)
        {
            await store.WriteAsync(firstPart.Skip(i).Take(10).ToList(), CancellationToken.None);
        }

        var rollups = await store.RollupRowsAsync(CancellationToken.None);
        var watermark = await store.DayWatermarkAsync(CancellationToken.None);
        Assert.Equal(Day.AddDays(2).ToUnixTimeSeconds(), watermark);

        Assert.Equal(10, await store.MigrateAsync(CancellationToken.None));
        Assert.Equal(rollups, await store.RollupRowsAsync(CancellationToken.None));
        Assert.Equal(watermark, await store.DayWatermarkAsync(CancellationToken.None));
        Assert.Equal(kind == "sqlite" ? ["usage_rollups_day_value"] : ["usage_rollups_day_value", "usage_rollups_pkey"], await RollupIndexesAsync(store));
        if (store is SqliteUsageStore sqlite)
        {
            // One B-tree per rollup row: the primary key is the table.
            await using var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={sqlite.FilePath}");
            await conn.OpenAsync();
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'usage_rollups'";
            Assert.EndsWith("WITHOUT ROWID", ((string)(await cmd.ExecuteScalarAsync())!).TrimEnd(), StringComparison.Ordinal);
        }

        // Version 10's writer goes on where version 9's stopped: days fold as before, and every report and budget window equals the records.
        await store.WriteAsync(records.Except(firstPart).ToList(), CancellationToken.None);
        AssertDaysEqualTheirHours(await RollupsAsync(store), await store.DayWatermarkAsync(CancellationToken.None));
        await AssertReportsEqualRecordsAsync(store, records);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Two_writers_sharing_one_store_count_every_record_once_while_both_compact(string kind)
    {
        using var temp = new TempDirectory("usage-compaction");
        var target = kind == "sqlite" ? temp.Combine("usage.db") : await PostgresCluster.CreateDatabaseAsync("usage");
        await using var a = (SqlUsageStore)await UsageStoreFactory.OpenAndMigrateAsync(kind, target, CancellationToken.None);
        await using var b = (SqlUsageStore)await UsageStoreFactory.OpenAndMigrateAsync(kind, target, CancellationToken.None);

        // Two replicas with their own share of the traffic (and the same records replayed by both), days passing meanwhile.
        var records = FourDays();
        var batches = records.Chunk(6).ToList();
        var writers = new[] { a, b }.Select((store, n) => Task.Run(async () =>
        {
            for (var i = 0; i < batches.Count; i++)
            {
                if (i % 2 == n || i % 5 == 0)
                {
                    await store.WriteAsync(batches[i], CancellationToken.None);
                }
            }
        })).ToArray();
        await Task.WhenAll(writers);

        Assert.Equal(records.Count, await a.CountRecordsAsync(CancellationToken.None));
        var watermark = await a.DayWatermarkAsync(CancellationToken.None);
        Assert.Equal(Day.AddDays(3).ToUnixTimeSeconds(), watermark);
        AssertDaysEqualTheirHours(await RollupsAsync(a), watermark);
        await AssertReportsEqualRecordsAsync(a, records);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_record_stamped_in_the_future_folds_no_hour_past_the_clock(string kind)
    {
        var (store, cleanup) = await UsageStoreFixture.OpenAsync(kind);
        using (cleanup)
        await using (store)
        {
            var sql = (SqlUsageStore)store;
            var records = FourDays();
            var future = DateTimeOffset.UtcNow.AddDays(400);
            records.Add(UsageTestData.Record("from-the-future", "alice", future, 9, 9, groups: ["eng"]));
            await store.WriteAsync(records, CancellationToken.None);

            // Folded up to the start of this clock's day (less 15 minutes), not the device's.
            var watermark = await sql.DayWatermarkAsync(CancellationToken.None);
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            Assert.Equal((now - 900) / 86400 * 86400, watermark);
            var rows = await RollupsAsync(sql);
            Assert.DoesNotContain(rows, r => r.Size == "d" && r.Start > DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            AssertDaysEqualTheirHours(rows, watermark);
            await AssertReportsEqualRecordsAsync(store, records.SkipLast(1).ToList());
            var then = await store.ReportAsync(new UsageReportQuery(ReportBy.User, future.AddDays(-1), future.AddDays(1)), CancellationToken.None);
            Assert.Equal(1, Assert.Single(then).Totals.Requests);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Dashboard_member_queries_see_unfolded_hours_through_their_hour_rows(string kind)
    {
        var (store, cleanup) = await UsageStoreFixture.OpenAsync(kind);
        using (cleanup)
        await using (store)
        {
            var records = FourDays();
            await store.WriteAsync(records, CancellationToken.None);
            var q = new UsageDashboardQueries(store);

            // Day 3 is not folded: its members come from hour rows; days 0-3 from day rows and hour rows together.
            Assert.Equal(2, await q.GroupUserCountAsync("ops", Day.AddDays(3), Day.AddDays(4), CancellationToken.None));
            Assert.Equal(2, await q.GroupUserCountAsync("eng", Day, Day.AddDays(4), CancellationToken.None));
            var members = await q.RollupAsync(new DashboardRollupQuery { Dimension = RollupDimension.Member, From = Day, To = Day.AddDays(4), Sort = "key", Descending = false }, CancellationToken.None);
            Assert.Equal(["eng|alice", "eng|carl", "ops|bob", "ops|carl"], members.Items.Select(m => m.Key));
            Assert.All(members.Items, m => Assert.Equal(96, m.Totals.Requests));
        }
    }

    /// <summary>
    /// What a version 7 writer leaves for <paramref name="records"/>: this build's write (records and hour rows, and
    /// day rows below the watermark), plus the day-row upserts version 7 made for the records at or after it.
    /// </summary>
    private static async Task WriteAsVersion7Async(SqlUsageStore store, List<UsageRecord> records)
    {
        var watermark = await store.DayWatermarkAsync(CancellationToken.None);
        Assert.Equal(records.Count, await store.WriteAsync(records, CancellationToken.None));
        Assert.Equal(watermark, await store.DayWatermarkAsync(CancellationToken.None)); // version 7 never folded
        var days = new RollupAccumulator();
        foreach (var r in records.Where(r => r.TimestampMs / 1000 >= watermark))
        {
            days.Add(r);
        }

        var columns = UsageSchema.RollupKeyColumns.Concat(RollupAccumulator.ValueColumns);
        foreach (var (key, values) in days.Sorted().Where(d => d.Key.Size == RollupAccumulator.Day))
        {
            await store.ExecuteStatementAsync(
                $"INSERT INTO usage_rollups ({string.Join(", ", columns)}) VALUES ('d', '{key.Dim}', {key.Start}, '{key.Value}', '{key.Model}', '{key.Source}', " +
                $"{string.Join(", ", values)}) ON CONFLICT ({string.Join(", ", UsageSchema.RollupKeyColumns)}) DO UPDATE SET " +
                string.Join(", ", RollupAccumulator.ValueColumns.Select(c => $"{c} = usage_rollups.{c} + excluded.{c}")),
                CancellationToken.None);
        }
    }

    private static async Task AssertReportsEqualRecordsAsync(IUsageStore store, List<UsageRecord> records)
    {
        // Whole days, ranges cutting days at both ends, and the report by day: each equals the sums of the records.
        var ranges = new[]
        {
            (Day, Day.AddDays(5)), (Day.AddHours(7), Day.AddDays(3).AddHours(17)), (Day.AddDays(1), Day.AddDays(2)),
            (Day.AddDays(2).AddHours(5), Day.AddDays(4)), (Day.AddDays(3), Day.AddDays(3).AddHours(20)),
        };
        foreach (var (from, to) in ranges)
        {
            var expected = records.Where(r => r.TimestampMs >= FloorHour(from) && r.TimestampMs < FloorHour(to))
                .GroupBy(r => r.UserId).ToDictionary(g => g.Key, g => (g.LongCount(), g.Sum(r => r.InputTokens), g.Sum(r => r.OutputTokens), g.Sum(r => r.CostNanos)));
            var report = await store.ReportAsync(new UsageReportQuery(ReportBy.User, from, to), CancellationToken.None);
            Assert.Equal(expected.OrderBy(e => e.Key), report.ToDictionary(r => r.Key, r => (r.Totals.Requests, r.Totals.InputTokens, r.Totals.OutputTokens, r.Totals.CostNanos)).OrderBy(e => e.Key));
        }

        // Budget-window totals (day rows by usage_rollups_day_value, hours by primary key seeks, raw records at
        // mid-hour edges) for every user, group, key and the org, over whole and cut ranges.
        var windows = ranges.Concat([(Day.AddHours(7).AddMinutes(30), Day.AddDays(3).AddHours(17).AddMinutes(20)), (Day.AddDays(3).AddHours(22).AddMinutes(10), Day.AddDays(4))]);
        foreach (var (from, to) in windows)
        {
            var inWindow = records.Where(r => r.TimestampMs >= from.ToUnixTimeMilliseconds() && r.TimestampMs < to.ToUnixTimeMilliseconds()).ToList();
            var scopes = inWindow.Select(r => (UsageDimension.User, r.UserId)).Concat(inWindow.SelectMany(r => r.Groups.Select(g => (UsageDimension.Group, g))))
                .Concat(inWindow.Select(r => (UsageDimension.Key, r.KeyId!))).Append((UsageDimension.Org, "*")).Distinct();
            foreach (var (dimension, value) in scopes)
            {
                var mine = inWindow.Where(r => dimension switch
                {
                    UsageDimension.User => r.UserId == value,
                    UsageDimension.Group => r.Groups.Contains(value),
                    UsageDimension.Key => r.KeyId == value,
                    _ => true,
                }).ToList();
                var totals = await store.TotalsAsync(dimension, value, from, to, CancellationToken.None);
                Assert.Equal((dimension, value, (long)mine.Count, mine.Sum(r => r.InputTokens), mine.Sum(r => r.OutputTokens), mine.Sum(r => r.CostNanos)),
                    (dimension, value, totals.Requests, totals.InputTokens, totals.OutputTokens, totals.CostNanos));
            }
        }

        var byDay = await store.ReportAsync(new UsageReportQuery(ReportBy.Day, Day, Day.AddDays(5)), CancellationToken.None);
        var expectedDays = records.GroupBy(r => DateTimeOffset.FromUnixTimeMilliseconds(r.TimestampMs).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
            .ToDictionary(g => g.Key, g => g.LongCount());
        Assert.Equal(expectedDays.OrderBy(e => e.Key), byDay.ToDictionary(r => r.Key, r => r.Totals.Requests).OrderBy(e => e.Key));
    }

    private static long FloorHour(DateTimeOffset t) => t.ToUnixTimeMilliseconds() / 3_600_000 * 3_600_000;

    private static List<(string Key, long Requests, long Input, long Cost)> Totals(IReadOnlyList<UsageReportRow> rows) =>
        rows.Select(r => (r.Key, r.Totals.Requests, r.Totals.InputTokens, r.Totals.CostNanos)).OrderBy(r => r.Key).ToList();

    /// <summary>Every day row equals the sum of its day's hour rows before the watermark (the fold's invariant, late records included).</summary>
    private static void AssertDaysEqualTheirHours(List<Rollup> rows, long watermark)
    {
        var hours = rows.Where(r => r.Size == "h" && r.Start < watermark)
            .GroupBy(r => (r.Dim, Day: r.Start - (r.Start % 86400), r.Value, r.Model, r.Source))
            .ToDictionary(g => g.Key, g => string.Join(' ', Enumerable.Range(0, g.First().Values.Length).Select(i => g.Sum(r => r.Values[i]))));
        foreach (var d in rows.Where(r => r.Size == "d"))
        {
            Assert.Equal(hours[(d.Dim, d.Start, d.Value, d.Model, d.Source)], string.Join(' ', d.Values));
        }
    }

    /// <summary>The indexes of <c>usage_rollups</c> by name (SQLite's own automatic ones left out).</summary>
    private static async Task<List<string>> RollupIndexesAsync(SqlUsageStore store)
    {
        var names = new List<string>();
        if (store is PostgresUsageStore pg)
        {
            await using var cmd = pg.DataSource.CreateCommand("SELECT indexname FROM pg_indexes WHERE tablename = 'usage_rollups' ORDER BY indexname");
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                names.Add(reader.GetString(0));
            }

            return names;
        }

        await using var conn = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={((SqliteUsageStore)store).FilePath}");
        await conn.OpenAsync();
        await using var sql = conn.CreateCommand();
        sql.CommandText = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'usage_rollups' AND name NOT LIKE 'sqlite_%' ORDER BY name";
        await using var rows = await sql.ExecuteReaderAsync();
        while (await rows.ReadAsync())
        {
            names.Add(rows.GetString(0));
        }

        return names;
    }

    private static async Task<List<Rollup>> RollupsAsync(SqlUsageStore store) =>
        (await store.RollupRowsAsync(CancellationToken.None)).Select(line =>
        {
            var f = line.Split(' ');
            return new Rollup(f[0], f[1], long.Parse(f[2], CultureInfo.InvariantCulture), f[3], f[4], f[5], f[6..].Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray());
        }).ToList();

    private sealed record Rollup(string Size, string Dim, long Start, string Value, string Model, string Source, long[] Values);
}
