using System.Data.Common;
using Basalt.IO;
using Basalt.Usage.Records;
using Microsoft.Data.Sqlite;

namespace Basalt.Usage.Stores;

/// <summary>
/// The embedded store: one SQLite file beside the gateway configuration, no setup (issue 10 item 4). WAL mode so
/// reports read while the writer writes; <c>synchronous=FULL</c> because the journal checkpoint moves past a batch
/// only once the store has it, so a committed transaction must survive power loss too. One writer at a time
/// (SQLite's own rule); a batch is one transaction with prepared statements reused for every row.
/// </summary>
internal sealed class SqliteUsageStore : SqlUsageStore
{
    private readonly string connectionString;
    private readonly SemaphoreSlim writeLock = new(1, 1);

    public SqliteUsageStore(string path)
    {
        SqliteRuntime.EnsureInitialized();
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        FilePath = full;
    }

    public override string Kind => "sqlite";

    public string FilePath { get; }

    public override async Task<int> WriteAsync(IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0)
        {
            return 0;
        }

        await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var conn = (SqliteConnection)await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var tx = (SqliteTransaction)await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            // One prepared single-row INSERT for the whole batch: SQLite prepares it once and each row costs a bind and
            // a step. (The earlier 32-rows-a-statement form re-prepared a statement of a new shape for every batch
            // that was not a multiple of 32 — nearly every batch at gateway rates — and bound 1,056 parameters by
            // name: 12.9% of the gateway's CPU in statement preparation alone, measured with dotnet-trace.) Values
            // are bound by ordinal (SqliteBatchStatement says why). The conflict clause makes a replayed record a
            // no-op, and the changed-row count says which rows were new: only those reach the rollups.
            var watermark = await DayWatermarkAsync(conn, tx, WatermarkLock(forUpdate: false), cancellationToken).ConfigureAwait(false);
            var rollups = new RollupAccumulator();
            var newest = long.MinValue;
            using (var insert = new SqliteBatchStatement(conn, InsertSql))
            {
                foreach (var r in records)
                {
                    BindRecord(insert, r);
                    if (insert.Execute() == 1)
                    {
                        rollups.Add(r, watermark);
                        newest = Math.Max(newest, r.TimestampMs / 1000);
                    }
                }
            }

            // One upsert per rollup key of the batch (RollupAccumulator), in key order.
            var newCount = rollups.Requests;
            WriteRollups(conn, rollups);

            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);

            // Still under the write lock: SQLite has one writer, and the batch that ended a day pays for folding it.
            await CompactIfDueAsync(newest, watermark, cancellationToken).ConfigureAwait(false);
            return newCount;
        }
        finally
        {
            writeLock.Release();
        }
    }

    /// <summary>
    /// One upsert per rollup key of the batch, in key order. (Tried in the dense ingest bench, 2026-12-07, load 5-9, two
    /// runs each, and rejected: a plain <c>UPDATE</c> first for keys an earlier batch had written took 2-4x the CPU of
    /// the upsert; the keys unsorted took ~10% more, presumably as the B-tree's pages are then visited out of order.)
    /// </summary>
    private static void WriteRollups(SqliteConnection conn, RollupAccumulator rollups)
    {
        using var upsert = new SqliteBatchStatement(conn, UpsertSql);
        foreach (var (key, v) in rollups.Sorted())
        {
            BindRollup(upsert, key, v);
            upsert.Execute();
        }
    }

    private static void BindRollup(SqliteBatchStatement s, in RollupAccumulator.RollupKey key, long[] v)
    {
        s.Bind(1, key.Size);
        s.Bind(2, key.Dim);
        s.Bind(3, key.Start);
        s.Bind(4, key.Value);
        s.Bind(5, key.Model);
        s.Bind(6, key.Source);
        for (var i = 0; i < v.Length; i++)
        {
            s.Bind(7 + i, v[i]);
        }
    }

    public override ValueTask DisposeAsync()
    {
        SqliteConnection.ClearPool(new SqliteConnection(connectionString));
        writeLock.Dispose();
        return ValueTask.CompletedTask;
    }

    private static readonly string InsertSql =
        $"INSERT INTO usage_records ({string.Join(", ", UsageSchema.RecordColumns)}) VALUES ({string.Join(", ", UsageSchema.RecordColumns.Select((_, c) => $"?{c + 1}"))}) ON CONFLICT (request_id) DO NOTHING";

    private static readonly string UpsertSql = RollupUpsertSql("?", ordinal: true);

    /// <summary>Binds a record in <see cref="UsageSchema.RecordColumns"/> order.</summary>
    private static void BindRecord(SqliteBatchStatement s, UsageRecord r)
    {
        s.Bind(1, r.RequestId);
        s.Bind(2, r.TimestampMs);
        s.Bind(3, r.UserId);
        s.Bind(4, r.DisplayName);
        s.Bind(5, GroupsText(r.Groups));
        s.Bind(6, r.KeyId);
        s.Bind(7, r.AuthMethod);
        s.Bind(8, r.CostCentre);
        s.Bind(9, r.Source == UsageSource.Device ? "device" : "gateway");
        s.Bind(10, r.Protocol);
        s.Bind(11, r.UserAgent);
        s.Bind(12, r.SessionId);
        s.Bind(13, r.AgentId);
        s.Bind(14, r.ModelRequested);
        s.Bind(15, r.ModelServed);
        s.Bind(16, r.UpstreamModelId);
        s.Bind(17, r.Region);
        s.Bind(18, r.Upstream);
        s.Bind(19, r.InputTokens);
        s.Bind(20, r.OutputTokens);
        s.Bind(21, r.CacheReadTokens);
        s.Bind(22, r.CacheWrite5mTokens);
        s.Bind(23, r.CacheWrite1hTokens);
        s.Bind(24, r.CostNanos);
        s.Bind(25, r.PriceBasis.ToString());
        s.Bind(26, r.IsEstimate ? 1 : 0);
        s.Bind(27, r.Streamed ? 1 : 0);
        s.Bind(28, r.TtfbMs);
        s.Bind(29, r.DurationMs);
        s.Bind(30, r.Outcome.ToString());
        s.Bind(31, r.StatusCode);
        s.Bind(32, r.ErrorType);
        s.Bind(33, r.Attempts);
    }

    internal static string RollupUpsertSql(string prefix, bool ordinal = false)
    {
        var all = UsageSchema.RollupKeyColumns.Concat(RollupAccumulator.ValueColumns).ToArray();
        return $"INSERT INTO usage_rollups ({string.Join(", ", all)}) VALUES ({string.Join(", ", all.Select((c, i) => prefix + (ordinal ? (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : c)))}) " +
            $"ON CONFLICT ({string.Join(", ", UsageSchema.RollupKeyColumns)}) DO UPDATE SET " +
            string.Join(", ", RollupAccumulator.ValueColumns.Select(c => $"{c} = usage_rollups.{c} + excluded.{c}"));
    }

    protected override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var conn = new SqliteConnection(connectionString);
        await conn.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = conn.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000; PRAGMA cache_size=-65536;";
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return conn;
    }

    /// <summary>None: every write transaction here is <c>BEGIN IMMEDIATE</c> (Microsoft.Data.Sqlite's default), SQLite's one writer.</summary>
    protected override string WatermarkLock(bool forUpdate) => string.Empty;

    protected override async ValueTask<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        // BEGIN IMMEDIATE takes the write lock up front, so two processes starting together migrate one after the other.
        var tx = ((SqliteConnection)connection).BeginTransaction(deferred: false);
        await Task.CompletedTask.ConfigureAwait(false);
        return tx;
    }
}
