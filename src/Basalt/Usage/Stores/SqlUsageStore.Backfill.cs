using System.Data.Common;
using System.Globalization;
using System.Text;

namespace Basalt.Usage.Stores;

/// <summary>
/// The backfill schema version 7 registers: member rollups and error counts for the records stored before version 4
/// added them. One UTC day at a time (a day's hour and day buckets are complete in one pass), raw records read in
/// keyset batches of <see cref="BackfillBatch"/>, folded by the writer's own <see cref="RollupAccumulator"/>, and
/// written in one transaction per day with replace semantics: member rows take the recomputed figures whole, every
/// other rollup row takes only its recomputed error count. Values recomputed from the raw records are right whether
/// or not the writer had already counted some of them (records after the migration in the same day, a rerun, a
/// second replica), so the backfill is idempotent. Progress is the day in <c>usage_backfill</c>, advanced in the
/// day's transaction only if no one else advanced it, so a stop resumes at the next day and replicas never both
/// commit a day. Days whose raw records retention already pruned cannot be recomputed and are left as they are.
/// </summary>
internal abstract partial class SqlUsageStore
{
    private const string BackfillName = "member-errors";

    /// <summary>Raw records read per statement (memory is bounded by one day's distinct rollup keys).</summary>
    internal int BackfillBatch { get; set; } = 5_000;

    /// <summary>Rows per multi-row upsert statement (18 parameters each; well under both engines' limits).</summary>
    private const int BackfillRowsPerStatement = 200;

    /// <summary>Runs pending backfills; returns how many days were recomputed.</summary>
    internal async Task<int> BackfillAsync(CancellationToken cancellationToken)
    {
        var days = 0;
        await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        if (Convert.ToInt64(await ScalarAsync(conn, null, "SELECT COALESCE(MAX(version), 0) FROM usage_schema_version", [], cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture) < 7)
        {
            return 0;
        }

        while (true)
        {
            long next, end;
            await using (var cmd = Command(conn, null, "SELECT next_day, end_day FROM usage_backfill WHERE name = @n", ("n", BackfillName)))
            await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return days;
                }

                next = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture);
                end = Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture);
            }

            if (next >= end)
            {
                return days;
            }

            // Skip days without records (one index probe) instead of walking empty days.
            var first = await ScalarAsync(conn, null, "SELECT MIN(ts_ms) FROM usage_records WHERE ts_ms >= @a AND ts_ms < @b", [("a", next * 1000), ("b", end * 1000)], cancellationToken).ConfigureAwait(false);
            var day = first is null or DBNull ? end : FloorDay(Convert.ToInt64(first, CultureInfo.InvariantCulture) / 1000);
            var rollups = day < end ? await ReadDayAsync(conn, day, cancellationToken).ConfigureAwait(false) : null;
            await using var tx = await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

            // Day rows only for days folded whole (SqlUsageStore.Compaction); the watermark read locked like a
            // writer's, so a fold cannot move it before this day's rows are committed.
            var watermark = await DayWatermarkAsync(conn, tx, WatermarkLock(forUpdate: false), cancellationToken).ConfigureAwait(false);
            var advanced = await ExecuteAsync(conn, tx, "UPDATE usage_backfill SET next_day = @d WHERE name = @n AND next_day = @prev", cancellationToken,
                ("d", Math.Min(day + 86400, end)), ("n", BackfillName), ("prev", next)).ConfigureAwait(false);
            if (advanced == 0)
            {
                // Another replica moved on meanwhile: read the progress again.
                await tx.RollbackAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (rollups is not null)
            {
                await WriteBackfillAsync(conn, tx, rollups, watermark, cancellationToken).ConfigureAwait(false);
                if (day < watermark && watermark < day + 86400)
                {
                    // The watermark's own day: its day rows hold the hours before the watermark only, so they are
                    // made again from the hours just written, as a fold would.
                    foreach (var dim in RollupAccumulator.Dimensions)
                    {
                        await ExecuteAsync(conn, tx, FoldReplaceSql, cancellationToken, ("a", day), ("b", watermark), ("dim", dim)).ConfigureAwait(false);
                    }
                }

                days++;
            }

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Every rollup row as text, in key order (tests compare a backfilled store with one written fresh).</summary>
    internal async Task<IReadOnlyList<string>> RollupRowsAsync(CancellationToken cancellationToken)
    {
        var all = UsageSchema.RollupKeyColumns.Concat(RollupAccumulator.ValueColumns).ToArray();
        await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = Command(conn, null, $"SELECT {string.Join(", ", all)} FROM usage_rollups ORDER BY {string.Join(", ", UsageSchema.RollupKeyColumns)}");
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var rows = new List<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows.Add(string.Join(' ', Enumerable.Range(0, all.Length).Select(i => Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))));
        }

        return rows;
    }

    /// <summary>One statement outside any migration (tests shape a store as an older version left it).</summary>
    internal async Task<int> ExecuteStatementAsync(string sql, CancellationToken cancellationToken)
    {
        await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ExecuteAsync(conn, null, sql, cancellationToken).ConfigureAwait(false);
    }

    private async Task<RollupAccumulator> ReadDayAsync(DbConnection conn, long day, CancellationToken cancellationToken)
    {
        var rollups = new RollupAccumulator();
        var from = day * 1000;
        var to = (day + 86400) * 1000;
        long lastTs = long.MinValue;
        var lastId = string.Empty;
        while (true)
        {
            // Keyset pagination on (ts_ms, request_id): each batch one index range, no OFFSET rescans.
            await using var cmd = Command(conn, null,
                $"SELECT {string.Join(", ", UsageSchema.RecordColumns)} FROM usage_records WHERE ts_ms >= @a AND ts_ms < @b AND (ts_ms > @lt OR (ts_ms = @lt AND request_id > @li)) ORDER BY ts_ms, request_id LIMIT @n",
                ("a", from), ("b", to), ("lt", lastTs), ("li", lastId), ("n", BackfillBatch));
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var read = 0;
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var record = ReadRecord(reader);
                rollups.Add(record);
                lastTs = record.TimestampMs;
                lastId = record.RequestId;
                read++;
            }

            if (read < BackfillBatch)
            {
                return rollups;
            }
        }
    }

    private static async Task WriteBackfillAsync(DbConnection conn, DbTransaction tx, RollupAccumulator rollups, long watermark, CancellationToken cancellationToken)
    {
        var keys = UsageSchema.RollupKeyColumns;
        var values = RollupAccumulator.ValueColumns;
        var all = keys.Concat(values).ToArray();
        var replaceAll = string.Join(", ", values.Select(c => $"{c} = excluded.{c}"));
        foreach (var member in new[] { true, false })
        {
            var rows = rollups.Sorted()
                .Where(r => (r.Key.Dim == "member") == member && r.Key.Dim != "routing" && (r.Key.Size != RollupAccumulator.Day || r.Key.Start <= watermark - 86400)).ToList();
            for (var start = 0; start < rows.Count; start += BackfillRowsPerStatement)
            {
                var chunk = rows.Skip(start).Take(BackfillRowsPerStatement).ToList();
                var parameters = new List<(string, object?)>(chunk.Count * all.Length);
                var sql = new StringBuilder($"INSERT INTO usage_rollups ({string.Join(", ", all)}) VALUES ");
                for (var i = 0; i < chunk.Count; i++)
                {
                    var (key, v) = chunk[i];
                    object?[] row = [key.Size, key.Dim, key.Start, key.Value, key.Model, key.Source, .. v.Cast<object?>()];
                    sql.Append(i == 0 ? "(" : ", (");
                    for (var c = 0; c < row.Length; c++)
                    {
                        var name = string.Create(CultureInfo.InvariantCulture, $"p{i}_{c}");
                        parameters.Add((name, row[c]));
                        sql.Append(c == 0 ? "@" : ", @").Append(name);
                    }

                    sql.Append(')');
                }

                // Member rows: the recomputed figures whole. Others: only the error count (their other figures were
                // maintained by the writer all along); a row the writer never made is inserted whole.
                sql.Append($" ON CONFLICT ({string.Join(", ", keys)}) DO UPDATE SET {(member ? replaceAll : "errors = excluded.errors")}");
                await ExecuteAsync(conn, tx, sql.ToString(), cancellationToken, [.. parameters]).ConfigureAwait(false);
            }
        }
    }
}
