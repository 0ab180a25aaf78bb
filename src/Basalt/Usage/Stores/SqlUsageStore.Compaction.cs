using System.Data.Common;
using System.Globalization;

namespace Basalt.Usage.Stores;

/// <summary>
/// Day rollups by folding (schema version 8). The write path maintains hour rollups, and day rollups only for records
/// of hours below the store's watermark <c>W</c> (a UTC day boundary): every day before <c>W</c> is already folded into
/// its day rows, so such a late record (journal replay, device telemetry, another replica's queue) updates its day row
/// directly. Once a record shows a day ended <see cref="CompactionLagSeconds"/> ago, the writer that committed it folds
/// the days from <c>W</c> to there set-based (<c>INSERT … SELECT … GROUP BY … ON CONFLICT</c>, one statement per
/// dimension) and moves <c>W</c> in the same transaction. A folded day takes the sum of all its hours (replace
/// semantics), so its day row is right whatever wrote it before. Day rows are thus complete up to <c>W</c> and hour
/// rows for all time; reports read whole days from day rows up to <c>W</c> and the hours from it on — a month to date
/// reads one row per user per finished day plus today's hours.
/// Why whole days: the first version folded every hour 15 minutes after it ended and added it to a partial day row
/// that reports read. A replica still running a Basalt older than version 8 during a rolling upgrade keeps writing
/// day rows for every record, so its records of today were counted twice (in that partial day row and in the hour
/// rows after <c>W</c>), and again once each hour was added. With whole days, no report reads a day row at or after
/// <c>W</c>, and the fold that ends a day replaces whatever an old replica added to it: the upgrade counts every record
/// once (<c>UsageStoreCompactionTests</c>). Today's hours cost a report at most 24 rows per key more than one day row.
/// Why folding at all: in the ingest benchmark the day rows were half of the rollup upserts per batch and SQLite's
/// B-tree work on those upserts was the limit (bench/results/usage.json); a day folded in one pass costs a fraction.
/// Replicas: a writer reads the watermark row first in its transaction (PostgreSQL: <c>FOR SHARE</c>, held until it
/// commits; SQLite: inside <c>BEGIN IMMEDIATE</c>), the folder reads it <c>FOR UPDATE</c>, so a fold waits for every
/// writer that saw the old watermark and sees their hour rows, and writers after it see the new one.
/// A store left by the hour-folding build has a watermark inside a day and a partial day row for that day; reports
/// read it as before (day rows up to that day's end include it) until the day is folded whole.
/// </summary>
internal abstract partial class SqlUsageStore
{
    /// <summary>The schema version that introduced <c>usage_compaction</c>.</summary>
    internal const int CompactionVersion = 8;

    /// <summary>
    /// How long after a day ends (by the records' own times) it is folded: records a few minutes old still in a
    /// journal batch or another replica's queue then land before their day is folded, not on the late path (which
    /// costs a day-row upsert each, what every record cost before version 8).
    /// </summary>
    internal const long CompactionLagSeconds = 900;

    private const string CompactionName = "day";

    private int knownSchemaVersion;

    /// <summary>
    /// The locking clause a transaction reads the watermark row with: PostgreSQL writers take it <c>FOR SHARE</c>
    /// and the folder <c>FOR UPDATE</c>; SQLite needs none (its write transactions are <c>BEGIN IMMEDIATE</c>, one
    /// writer at a time).
    /// </summary>
    protected abstract string WatermarkLock(bool forUpdate);

    /// <summary>
    /// The watermark (Unix seconds, an hour boundary): hours before it are folded into day rollups.
    /// <see cref="long.MaxValue"/> on a store older than version 8, whose writer kept day rows for every record.
    /// Writers pass <c>WatermarkLock(false)</c>.
    /// </summary>
    protected async Task<long> DayWatermarkAsync(DbConnection conn, DbTransaction? tx, string lockClause, CancellationToken cancellationToken)
    {
        if (knownSchemaVersion < CompactionVersion)
        {
            // Learnt from the store, not only from this process's migration: the CLI or another replica may have migrated it.
            knownSchemaVersion = Convert.ToInt32(await ScalarAsync(conn, tx, "SELECT COALESCE(MAX(version), 0) FROM usage_schema_version", [], cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            if (knownSchemaVersion < CompactionVersion)
            {
                return long.MaxValue;
            }
        }

        var value = await ScalarAsync(conn, tx, $"SELECT watermark FROM usage_compaction WHERE name = @n{lockClause}", [("n", CompactionName)], cancellationToken).ConfigureAwait(false);
        return value is null or DBNull ? long.MaxValue : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }

    /// <summary>The watermark as stored (tests and the benchmark).</summary>
    internal async Task<long> DayWatermarkAsync(CancellationToken cancellationToken)
    {
        await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await DayWatermarkAsync(conn, null, string.Empty, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>After a committed batch: folds the days its newest record shows to be over, if any.</summary>
    protected async Task CompactIfDueAsync(long newestRecordSeconds, long watermark, CancellationToken cancellationToken)
    {
        // (long.MinValue: the batch had no new record.)
        if (watermark != long.MaxValue && newestRecordSeconds != long.MinValue && FoldTarget(newestRecordSeconds) > watermark)
        {
            await CompactAsync(newestRecordSeconds, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Folds every day from the watermark up to the last one that ended <see cref="CompactionLagSeconds"/> before
    /// <paramref name="newestRecordSeconds"/> into day rollups and moves the watermark there, in one transaction;
    /// returns whether it moved.
    /// </summary>
    internal async Task<bool> CompactAsync(long newestRecordSeconds, CancellationToken cancellationToken)
    {
        var target = FoldTarget(newestRecordSeconds);
        await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var watermark = await DayWatermarkAsync(conn, tx, WatermarkLock(forUpdate: true), cancellationToken).ConfigureAwait(false);
        if (watermark == long.MaxValue || target <= watermark)
        {
            // Not migrated, or another replica folded meanwhile.
            await tx.RollbackAsync(cancellationToken).ConfigureAwait(false);
            return false;
        }

        // Every record has an org rollup: without an org hour row in the range there is nothing to fold (a night or a
        // weekend without traffic), and the watermark just moves (one seek of the primary key).
        var first = await ScalarAsync(conn, tx, "SELECT MIN(bucket_start) FROM usage_rollups WHERE bucket_size = 'h' AND dim = 'org' AND bucket_start >= @w AND bucket_start < @t",
            [("w", watermark), ("t", target)], cancellationToken).ConfigureAwait(false);
        if (first is not null and not DBNull)
        {
            // Each day takes the sum of all its hours (the whole day of a watermark an older build left inside it too).
            var from = FloorDay(Convert.ToInt64(first, CultureInfo.InvariantCulture));
            foreach (var dim in RollupAccumulator.Dimensions)
            {
                await ExecuteAsync(conn, tx, FoldReplaceSql, cancellationToken, ("a", from), ("b", target), ("dim", dim)).ConfigureAwait(false);
            }
        }

        await ExecuteAsync(conn, tx, "UPDATE usage_compaction SET watermark = @t WHERE name = @n", cancellationToken, ("t", target), ("n", CompactionName)).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// The day to fold up to: the start of the day in which the newest record less <see cref="CompactionLagSeconds"/>
    /// falls, that record's time clamped to this clock (a device's wrong clock must not fold days early).
    /// </summary>
    private static long FoldTarget(long newestRecordSeconds) =>
        FloorDay(Math.Min(newestRecordSeconds, DateTimeOffset.UtcNow.ToUnixTimeSeconds()) - CompactionLagSeconds);

    /// <summary>Whole days: the day row takes the sum of the day's hours (@a, @b whole days; the backfill of a day a watermark left by an older build cuts: @b that watermark).</summary>
    private static readonly string FoldReplaceSql =
        $"INSERT INTO usage_rollups ({string.Join(", ", UsageSchema.RollupKeyColumns.Concat(RollupAccumulator.ValueColumns))}) " +
        $"SELECT 'd', dim, bucket_start - (bucket_start % 86400), dim_value, model, source, {string.Join(", ", RollupAccumulator.ValueColumns.Select(c => $"SUM({c})"))} " +
        "FROM usage_rollups WHERE bucket_size = 'h' AND dim = @dim AND bucket_start >= @a AND bucket_start < @b GROUP BY 2, 3, 4, 5, 6 " +
        $"ON CONFLICT ({string.Join(", ", UsageSchema.RollupKeyColumns)}) DO UPDATE SET " +
        string.Join(", ", RollupAccumulator.ValueColumns.Select(c => $"{c} = excluded.{c}"));

    /// <summary>
    /// The rollup rows a range reads: whole days [<paramref name="dayFrom"/>, <paramref name="dayTo"/>) from day rows
    /// as far as the watermark's day (its day row holds the hours before the watermark), hours [<paramref name="hourFrom"/>,
    /// dayFrom) and from the watermark (or dayTo) to <paramref name="hourTo"/> from hour rows.
    /// </summary>
    private static string RollupTimeRange(long watermark, long dayFrom, long dayTo, long hourFrom, long hourTo, List<(string, object?)> parameters)
    {
        var (dayEnd, hoursFrom) = SplitAtWatermark(watermark, dayFrom, dayTo);
        parameters.Add(("df", dayFrom));
        parameters.Add(("de", dayEnd));
        parameters.Add(("hf", hourFrom));
        parameters.Add(("he", hoursFrom));
        parameters.Add(("ht", hourTo));
        return """
            ((bucket_size = 'd' AND bucket_start >= @df AND bucket_start < @de)
              OR (bucket_size = 'h' AND bucket_start >= @hf AND bucket_start < @df)
              OR (bucket_size = 'h' AND bucket_start >= @he AND bucket_start < @ht))
            """;
    }
}
