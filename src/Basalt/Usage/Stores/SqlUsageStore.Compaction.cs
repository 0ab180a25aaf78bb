using System.Data.Common;
using System.Globalization;

namespace Basalt.Usage.Stores;

/// <summary>
/// Day rollups by compaction (schema version 8). The write path maintains hour rollups only, for records of days at
/// or after the store's watermark; once the store has seen a record <see cref="CompactionLagSeconds"/> past the end
/// of the first such day, that day's day rows are made set-based from its hour rows (one <c>INSERT … SELECT … GROUP
/// BY</c> per dimension) and the watermark moves past it in the same transaction. A record that arrives later for a
/// compacted day (journal replay, device telemetry) updates that day row directly, so day rows below the watermark
/// stay complete; hour rows are complete for every day. Reports and the dashboard therefore read day rows below the
/// watermark and hour rows from it on. Why: in the ingest benchmark (5,000 users, batches of 5,000) the day rows
/// were half of the ~33,000 rollup upserts per batch, and SQLite's B-tree work on those upserts was the limit
/// (bench/results/usage.json); a day compacted in one ordered pass costs a fraction of the same rows upserted at
/// random. Replicas never compact one day twice: the watermark moves by a compare-and-set in the compacting
/// transaction, and on PostgreSQL writers hold the watermark row <c>FOR SHARE</c> while they write rollups, so a
/// compaction waits for writers that read the old watermark and writers after it see the new one.
/// </summary>
internal abstract partial class SqlUsageStore
{
    /// <summary>The schema version that introduced <c>usage_compaction</c>.</summary>
    internal const int CompactionVersion = 8;

    /// <summary>
    /// How long after a day ends (by the records' own times) it is compacted: records a few minutes old still in a
    /// journal batch or another replica's queue then land before their day is folded, not on the slower late path.
    /// </summary>
    internal const long CompactionLagSeconds = 3600;

    private const string CompactionName = "day";

    private int knownSchemaVersion;

    /// <summary>The earliest record time (Unix seconds) at which a compaction can be due; skips the probe per batch.</summary>
    private long compactNotBefore = long.MinValue;

    /// <summary>
    /// The day watermark (Unix seconds): days before it have day rollups. <see cref="long.MaxValue"/> on a store older
    /// than version 8, whose writer kept day rows for every day. PostgreSQL writers pass <paramref name="forShare"/>.
    /// </summary>
    protected async Task<long> DayWatermarkAsync(DbConnection conn, DbTransaction? tx, bool forShare, CancellationToken cancellationToken)
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

        var value = await ScalarAsync(conn, tx, $"SELECT watermark FROM usage_compaction WHERE name = @n{(forShare ? " FOR SHARE" : string.Empty)}", [("n", CompactionName)], cancellationToken).ConfigureAwait(false);
        return value is null or DBNull ? long.MaxValue : Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }

    /// <summary>The day watermark as stored (tests and the benchmark).</summary>
    internal async Task<long> DayWatermarkAsync(CancellationToken cancellationToken)
    {
        await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await DayWatermarkAsync(conn, null, forShare: false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>After a committed batch: compacts the days its newest record shows to be over, if any.</summary>
    protected async Task CompactIfDueAsync(long newestRecordSeconds, long watermark, CancellationToken cancellationToken)
    {
        if (watermark == long.MaxValue || newestRecordSeconds < watermark + 86400 + CompactionLagSeconds || newestRecordSeconds < Volatile.Read(ref compactNotBefore))
        {
            return;
        }

        await CompactAsync(newestRecordSeconds, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Compacts, one day per transaction, every day with hour rollups at or after the watermark that ended at least
    /// <see cref="CompactionLagSeconds"/> before <paramref name="newestRecordSeconds"/>; returns how many days.
    /// </summary>
    internal async Task<int> CompactAsync(long newestRecordSeconds, CancellationToken cancellationToken)
    {
        var days = 0;
        await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var watermark = await DayWatermarkAsync(conn, null, forShare: false, cancellationToken).ConfigureAwait(false);
            if (watermark == long.MaxValue)
            {
                return days;
            }

            // Every record has an org rollup, so the first org hour row at or after the watermark is the next day to compact
            // (one seek of the primary key; days without records are skipped, not walked).
            var first = await ScalarAsync(conn, null, "SELECT MIN(bucket_start) FROM usage_rollups WHERE bucket_size = 'h' AND dim = 'org' AND bucket_start >= @w", [("w", watermark)], cancellationToken).ConfigureAwait(false);
            if (first is null or DBNull)
            {
                return days;
            }

            var day = FloorDay(Convert.ToInt64(first, CultureInfo.InvariantCulture));
            if (newestRecordSeconds < day + 86400 + CompactionLagSeconds)
            {
                Volatile.Write(ref compactNotBefore, day + 86400 + CompactionLagSeconds);
                return days;
            }

            await using var tx = await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var moved = await ExecuteAsync(conn, tx, "UPDATE usage_compaction SET watermark = @next WHERE name = @n AND watermark = @w", cancellationToken,
                ("next", day + 86400), ("n", CompactionName), ("w", watermark)).ConfigureAwait(false);
            if (moved == 0)
            {
                // Another replica compacted meanwhile: read the watermark again.
                await tx.RollbackAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            foreach (var dim in RollupAccumulator.Dimensions)
            {
                await ExecuteAsync(conn, tx, CompactDaySql, cancellationToken, ("day", day), ("end", day + 86400), ("dim", dim)).ConfigureAwait(false);
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            days++;
        }
    }

    /// <summary>
    /// A day's rows of one dimension from its hour rows, one ordered pass over a primary-key range. Replace semantics:
    /// the hours are complete, so a day row (written by a store older than version 8) takes their sum whole.
    /// </summary>
    private static readonly string CompactDaySql =
        $"INSERT INTO usage_rollups ({string.Join(", ", UsageSchema.RollupKeyColumns.Concat(RollupAccumulator.ValueColumns))}) " +
        $"SELECT 'd', dim, @day, dim_value, model, source, {string.Join(", ", RollupAccumulator.ValueColumns.Select(c => $"SUM({c})"))} " +
        "FROM usage_rollups WHERE bucket_size = 'h' AND dim = @dim AND bucket_start >= @day AND bucket_start < @end GROUP BY dim, dim_value, model, source " +
        $"ON CONFLICT ({string.Join(", ", UsageSchema.RollupKeyColumns)}) DO UPDATE SET {string.Join(", ", RollupAccumulator.ValueColumns.Select(c => $"{c} = excluded.{c}"))}";

    /// <summary>The day range a rollup query reads from day rows: [<paramref name="dayFrom"/>, watermark), within [dayFrom, dayTo).</summary>
    private static long DayRowsEnd(long watermark, long dayFrom, long dayTo) => dayTo <= dayFrom ? dayFrom : Math.Clamp(watermark, dayFrom, dayTo);
}
