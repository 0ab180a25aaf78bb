using System.Data.Common;
using Basalt.Usage.Records;
using Npgsql;
using NpgsqlTypes;

namespace Basalt.Usage.Stores;

/// <summary>
/// The shared store for several gateway replicas (issue 10 item 4), on Npgsql. A batch is one round trip for the
/// records (<c>unnest</c> of column arrays, <c>ON CONFLICT DO NOTHING RETURNING request_id</c>) and one for the
/// rollups of the rows that were new, so replays and two replicas racing on one record never double-count.
/// Migrations take a transaction-scoped advisory lock so replicas starting together migrate once.
/// </summary>
internal sealed class PostgresUsageStore : SqlUsageStore
{
    private const long MigrationLockId = 0x42_61_73_61_6C_74; // "Basalt"
    private readonly NpgsqlDataSource dataSource;

    public PostgresUsageStore(string connectionString)
    {
        // The slim builder: no reflection-based type plugins (the library is trimmable); arrays are all we need.
        var builder = new NpgsqlSlimDataSourceBuilder(connectionString);
        builder.EnableArrays();
        dataSource = builder.Build();
    }

    public override string Kind => "postgresql";

    internal NpgsqlDataSource DataSource => dataSource;

    public override async Task<int> WriteAsync(IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return 0;
        }

        var columns = UsageSchema.RecordColumns;
        var arrays = new object?[columns.Length][];
        for (var c = 0; c < columns.Length; c++)
        {
            arrays[c] = new object?[records.Count];
        }

        for (var i = 0; i < records.Count; i++)
        {
            var v = RecordValues(records[i]);
            for (var c = 0; c < columns.Length; c++)
            {
                arrays[c][i] = v[c];
            }
        }

        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // First, so every writer and the compactor take their locks in one order: held FOR SHARE until commit, the
        // watermark row cannot move (a compaction's UPDATE waits) while this batch decides which day rows it writes.
        var watermark = await DayWatermarkAsync(conn, tx, WatermarkLock(forUpdate: false), cancellationToken).ConfigureAwait(false);
        var inserted = new HashSet<string>(StringComparer.Ordinal);
        await using (var cmd = new NpgsqlCommand(
            $"INSERT INTO usage_records ({string.Join(", ", columns)}) SELECT * FROM unnest({string.Join(", ", columns.Select((_, i) => "@p" + i))}) ON CONFLICT (request_id) DO NOTHING RETURNING request_id",
            conn, tx))
        {
            for (var c = 0; c < columns.Length; c++)
            {
                cmd.Parameters.Add(TypedArray("p" + c, columns[c], arrays[c]));
            }

            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                inserted.Add(reader.GetString(0));
            }
        }

        var rollups = new RollupAccumulator();
        var newCount = 0;
        var newest = long.MinValue;
        foreach (var r in records)
        {
            if (inserted.Remove(r.RequestId))
            {
                newCount++;
                rollups.Add(r, watermark);
                newest = Math.Max(newest, r.TimestampMs / 1000);
            }
        }

        if (rollups.Count > 0)
        {
            var sorted = rollups.Sorted().ToList();
            var keyCols = UsageSchema.RollupKeyColumns;
            var valCols = RollupAccumulator.ValueColumns;
            var all = keyCols.Concat(valCols).ToArray();
            await using var cmd = new NpgsqlCommand(
                $"INSERT INTO usage_rollups ({string.Join(", ", all)}) SELECT * FROM unnest({string.Join(", ", all.Select(c => "@" + c))}) " +
                $"ON CONFLICT ({string.Join(", ", keyCols)}) DO UPDATE SET " + string.Join(", ", valCols.Select(c => $"{c} = usage_rollups.{c} + excluded.{c}")),
                conn, tx);
            cmd.Parameters.Add(new NpgsqlParameter<string[]>("bucket_size", sorted.Select(s => s.Key.Size).ToArray()));
            cmd.Parameters.Add(new NpgsqlParameter<string[]>("dim", sorted.Select(s => s.Key.Dim).ToArray()));
            cmd.Parameters.Add(new NpgsqlParameter<long[]>("bucket_start", sorted.Select(s => s.Key.Start).ToArray()));
            cmd.Parameters.Add(new NpgsqlParameter<string[]>("dim_value", sorted.Select(s => s.Key.Value).ToArray()));
            cmd.Parameters.Add(new NpgsqlParameter<string[]>("model", sorted.Select(s => s.Key.Model).ToArray()));
            cmd.Parameters.Add(new NpgsqlParameter<string[]>("source", sorted.Select(s => s.Key.Source).ToArray()));
            for (var i = 0; i < valCols.Length; i++)
            {
                var at = i;
                cmd.Parameters.Add(new NpgsqlParameter<long[]>(valCols[i], sorted.Select(s => s.Values[at]).ToArray()));
            }

            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        await CompactIfDueAsync(newest, watermark, cancellationToken).ConfigureAwait(false);
        return newCount;
    }

    public override async ValueTask DisposeAsync() => await dataSource.DisposeAsync().ConfigureAwait(false);

    protected override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Writers share the watermark row until they commit; the compactor waits for them with an exclusive lock.</summary>
    protected override string WatermarkLock(bool forUpdate) => forUpdate ? " FOR UPDATE" : " FOR SHARE";

    protected override async ValueTask<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var tx = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, tx, $"SELECT pg_advisory_xact_lock({MigrationLockId})", cancellationToken).ConfigureAwait(false);
        return tx;
    }

    private static NpgsqlParameter TypedArray(string name, string column, object?[] values)
    {
        // Column types follow UsageSchema: *_ms, *_tokens, cost_nanos, duration are BIGINT; flags, status, attempts INTEGER.
        if (column is "ts_ms" or "input_tokens" or "output_tokens" or "cache_read_tokens" or "cache_write_5m_tokens"
            or "cache_write_1h_tokens" or "cost_nanos" or "ttfb_ms" or "duration_ms")
        {
            return new NpgsqlParameter(name, NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = values.Select(v => v is null ? (long?)null : Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray() };
        }

        if (column is "is_estimate" or "streamed" or "status_code" or "attempts")
        {
            return new NpgsqlParameter(name, NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = values.Select(v => Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray() };
        }

        return new NpgsqlParameter(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values.Select(v => (string?)v).ToArray() };
    }
}
