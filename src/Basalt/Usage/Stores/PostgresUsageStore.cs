using System.Data.Common;
using Basalt.Usage.Records;
using Npgsql;
using NpgsqlTypes;

namespace Basalt.Usage.Stores;

/// <summary>
/// The shared store for several gateway replicas (issue 10 item 4), on Npgsql. A batch is one transaction: the
/// records by binary COPY into a staging table and one <c>INSERT … SELECT … ON CONFLICT DO NOTHING RETURNING
/// request_id</c>, then one upsert (<c>unnest</c> of column arrays) for the rollups of the rows that were new, so
/// replays and two replicas racing on one record never double-count.
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

        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // First, so every writer and the fold take their locks in one order: held FOR SHARE until commit, the
        // watermark row cannot move (a fold's FOR UPDATE waits) while this batch decides which day rows it writes.
        var watermark = await DayWatermarkAsync(conn, tx, WatermarkLock(forUpdate: false), cancellationToken).ConfigureAwait(false);

        // Records by binary COPY into a session-private staging table, then one INSERT … SELECT whose conflict clause
        // makes a replayed record a no-op and whose RETURNING says which rows were new (only those reach the
        // rollups). COPY writes each value typed, straight into the protocol buffer: the unnest form it replaces
        // boxed every value into 33 object arrays and converted them again per column.
        await ExecuteAsync(conn, tx, StageSql, cancellationToken).ConfigureAwait(false);
        await using (var copy = await conn.BeginBinaryImportAsync(CopySql, cancellationToken).ConfigureAwait(false))
        {
            foreach (var r in records)
            {
                await WriteRecordAsync(copy, r, cancellationToken).ConfigureAwait(false);
            }

            await copy.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        var inserted = new HashSet<string>(StringComparer.Ordinal);
        await using (var cmd = new NpgsqlCommand(InsertSql, conn, tx))
        {
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

    /// <summary>
    /// The staging table, private to the session and emptied at every commit. (Created per batch: returning a
    /// connection to the pool discards session state, temporary tables included; the create costs well under a
    /// millisecond against a batch of thousands of rows.)
    /// </summary>
    private const string StageSql = "CREATE TEMP TABLE IF NOT EXISTS usage_records_stage (LIKE usage_records) ON COMMIT DELETE ROWS";

    private static readonly string CopySql = $"COPY usage_records_stage ({string.Join(", ", UsageSchema.RecordColumns)}) FROM STDIN (FORMAT BINARY)";

    private static readonly string InsertSql =
        $"INSERT INTO usage_records ({string.Join(", ", UsageSchema.RecordColumns)}) SELECT {string.Join(", ", UsageSchema.RecordColumns)} FROM usage_records_stage " +
        "ON CONFLICT (request_id) DO NOTHING RETURNING request_id";

    /// <summary>One row in <see cref="UsageSchema.RecordColumns"/> order, typed as the schema declares each column.</summary>
    private static async Task WriteRecordAsync(NpgsqlBinaryImporter copy, UsageRecord r, CancellationToken ct)
    {
        await copy.StartRowAsync(ct).ConfigureAwait(false);
        await TextAsync(copy, r.RequestId, ct).ConfigureAwait(false);
        await copy.WriteAsync(r.TimestampMs, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
        await TextAsync(copy, r.UserId, ct).ConfigureAwait(false);
        await TextAsync(copy, r.DisplayName, ct).ConfigureAwait(false);
        await TextAsync(copy, GroupsText(r.Groups), ct).ConfigureAwait(false);
        await TextAsync(copy, r.KeyId, ct).ConfigureAwait(false);
        await TextAsync(copy, r.AuthMethod, ct).ConfigureAwait(false);
        await TextAsync(copy, r.CostCentre, ct).ConfigureAwait(false);
        await TextAsync(copy, r.Source == UsageSource.Device ? "device" : "gateway", ct).ConfigureAwait(false);
        await TextAsync(copy, r.Protocol, ct).ConfigureAwait(false);
        await TextAsync(copy, r.UserAgent, ct).ConfigureAwait(false);
        await TextAsync(copy, r.SessionId, ct).ConfigureAwait(false);
        await TextAsync(copy, r.AgentId, ct).ConfigureAwait(false);
        await TextAsync(copy, r.ModelRequested, ct).ConfigureAwait(false);
        await TextAsync(copy, r.ModelServed, ct).ConfigureAwait(false);
        await TextAsync(copy, r.UpstreamModelId, ct).ConfigureAwait(false);
        await TextAsync(copy, r.Region, ct).ConfigureAwait(false);
        await TextAsync(copy, r.Upstream, ct).ConfigureAwait(false);
        await copy.WriteAsync(r.InputTokens, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
        await copy.WriteAsync(r.OutputTokens, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
        await copy.WriteAsync(r.CacheReadTokens, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
        await copy.WriteAsync(r.CacheWrite5mTokens, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
        await copy.WriteAsync(r.CacheWrite1hTokens, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
        await copy.WriteAsync(r.CostNanos, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
        await TextAsync(copy, r.PriceBasis.ToString(), ct).ConfigureAwait(false);
        await copy.WriteAsync(r.IsEstimate ? 1 : 0, NpgsqlDbType.Integer, ct).ConfigureAwait(false);
        await copy.WriteAsync(r.Streamed ? 1 : 0, NpgsqlDbType.Integer, ct).ConfigureAwait(false);
        if (r.TtfbMs is { } ttfb)
        {
            await copy.WriteAsync(ttfb, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
        }
        else
        {
            await copy.WriteNullAsync(ct).ConfigureAwait(false);
        }

        await copy.WriteAsync(r.DurationMs, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
        await TextAsync(copy, r.Outcome.ToString(), ct).ConfigureAwait(false);
        await copy.WriteAsync(r.StatusCode, NpgsqlDbType.Integer, ct).ConfigureAwait(false);
        await TextAsync(copy, r.ErrorType, ct).ConfigureAwait(false);
        await copy.WriteAsync(r.Attempts, NpgsqlDbType.Integer, ct).ConfigureAwait(false);
    }

    private static Task TextAsync(NpgsqlBinaryImporter copy, string? value, CancellationToken ct) =>
        value is null ? copy.WriteNullAsync(ct) : copy.WriteAsync(value, NpgsqlDbType.Text, ct);
}
