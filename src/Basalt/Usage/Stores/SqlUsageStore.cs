using System.Data.Common;
using System.Globalization;
using System.Text;
using Basalt.Usage.Budgets;
using Basalt.Usage.Pricing;
using Basalt.Usage.Records;

namespace Basalt.Usage.Stores;

/// <summary>
/// What SQLite and PostgreSQL share: migrations, reports, totals, budgets and retention are one SQL dialect
/// (both speak <c>ON CONFLICT</c>, <c>RETURNING</c> and <c>@name</c> parameters). Only the batch write differs,
/// because each engine has its own fastest bulk path.
/// </summary>
internal abstract partial class SqlUsageStore : IUsageStore
{
    public abstract string Kind { get; }

    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        var version = await MigrateAsync(UsageSchema.Migrations.Count, cancellationToken).ConfigureAwait(false);

        // Data migrations registered by a schema version run after it, outside its transaction (in bounded steps).
        await BackfillAsync(cancellationToken).ConfigureAwait(false);
        return version;
    }

    /// <summary>Applies pending migrations up to <paramref name="upTo"/> (tests build stores of an older version).</summary>
    internal async Task<int> MigrateAsync(int upTo, CancellationToken cancellationToken)
    {
        await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await BeginMigrationAsync(conn, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(conn, tx, "CREATE TABLE IF NOT EXISTS usage_schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at_ms BIGINT NOT NULL)", cancellationToken).ConfigureAwait(false);
        var current = Convert.ToInt32(await ScalarAsync(conn, tx, "SELECT COALESCE(MAX(version), 0) FROM usage_schema_version", [], cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        var migrations = UsageSchema.Migrations;
        if (current > migrations.Count)
        {
            throw new InvalidOperationException($"the {Kind} usage store has schema version {current}, newer than this Basalt knows ({migrations.Count}); upgrade Basalt");
        }

        for (var v = current + 1; v <= Math.Min(upTo, migrations.Count); v++)
        {
            foreach (var sql in migrations[v - 1])
            {
                var runs = sql.StartsWith(UsageSchema.PostgresOnly, StringComparison.Ordinal) ? Kind == "postgresql"
                    : !sql.StartsWith(UsageSchema.SqliteOnly, StringComparison.Ordinal) || Kind == "sqlite";
                if (runs)
                {
                    await ExecuteAsync(conn, tx, sql, cancellationToken).ConfigureAwait(false);
                }
            }

            await ExecuteAsync(conn, tx, "INSERT INTO usage_schema_version (version, applied_at_ms) VALUES (@v, @t)", cancellationToken,
                ("v", v), ("t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())).ConfigureAwait(false);
        }

        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        knownSchemaVersion = Math.Max(current, Math.Min(upTo, migrations.Count));
        return knownSchemaVersion;
    }

    public abstract Task<int> WriteAsync(IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken);

    public async Task<IReadOnlyList<UsageReportRow>> ReportAsync(UsageReportQuery query, CancellationToken cancellationToken)
    {
        var (dim, keyExpr) = query.By switch
        {
            ReportBy.User => ("user", "dim_value"),
            ReportBy.Group => ("group", "dim_value"),
            ReportBy.Key => ("key", "dim_value"),
            ReportBy.Model => ("org", "model"),
            ReportBy.Routing => ("routing", $"dim_value || '{RollupAccumulator.RoutingSeparator}' || model"),
            _ => ("org", "day_start"),
        };
        var from = FloorHour(query.From);
        var to = FloorHour(query.To);

        // Whole UTC days inside the range come from day rollups, the partial days at either end from hour rollups:
        // at most 46 hour buckets per key, so a month-to-date report reads ~31 day rows per user.
        var dayFrom = CeilDay(from);
        var dayTo = FloorDay(to);

        // A range that reaches the present can take today from its day rollup too: nothing is recorded after now,
        // so today's day row (the hours folded so far, SqlUsageStore.Compaction) and today's later hour rows are the
        // day so far. Month to date then reads about one row per user per day, plus the hour or two not yet folded.
        // (The day containing 'to', also in the first hour of a UTC day, when FloorHour(To) is midnight itself.)
        if (query.To >= DateTimeOffset.UtcNow && dayTo >= dayFrom)
        {
            dayTo = FloorDay(to) + 86400;
            to = dayTo;
        }
        if (dayFrom >= dayTo)
        {
            dayFrom = dayTo = to;
        }

        // Day rows as far as the watermark (today's so far included), hour rows from it on (SqlUsageStore.Compaction).
        await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var watermark = await DayWatermarkAsync(conn, null, string.Empty, cancellationToken).ConfigureAwait(false);
        var parameters = new List<(string, object?)> { ("dim", dim), ("f", query.Filter), ("limit", query.Limit), ("offset", query.Offset) };
        var range = RollupTimeRange(watermark, dayFrom, dayTo, from, to, parameters);
        var filter = query.Filter is null ? string.Empty : $" AND {(query.By == ReportBy.Model ? "model" : "dim_value")} = @f";
        var dayExpr = "(bucket_start - (bucket_start % 86400))";
        var select = $"""
            SELECT {(keyExpr == "day_start" ? dayExpr : keyExpr)} AS k, SUM(requests), SUM(input_tokens), SUM(output_tokens), SUM(cache_read_tokens),
                   SUM(cache_write_tokens), SUM(cost_nanos), SUM(estimated), SUM(fallback_priced), SUM(unpriced), SUM(refused), SUM(device)
            FROM usage_rollups WHERE dim = @dim{filter} AND {range}
            GROUP BY k ORDER BY SUM(cost_nanos) DESC, k LIMIT @limit OFFSET @offset
            """;
        await using var cmd = Command(conn, null, select, [.. parameters]);
        var rows = new List<UsageReportRow>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var key = query.By == ReportBy.Day
                ? DateTimeOffset.FromUnixTimeSeconds(Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                : reader.GetString(0);
            rows.Add(new UsageReportRow(key, ReadTotals(reader, 1)));
        }

        return rows;
    }

    public async Task<UsageTotals> TotalsAsync(UsageDimension dimension, string value, DateTimeOffset windowStart, DateTimeOffset windowEnd, CancellationToken cancellationToken)
    {
        var dim = DimName(dimension);
        var hf = CeilHour(windowStart);
        var ht = FloorHour(windowEnd);
        if (hf > ht)
        {
            hf = ht = windowEnd.ToUnixTimeSeconds();
        }

        await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var totals = UsageTotals.Empty;

        // Whole UTC days from day rows as far as the watermark (usage_rollups_day_value: day rows are written by the
        // fold, not per batch), the other hours from hour rows by primary key seeks, one per hour listed: there is no
        // index by value over hour rows (schema 10), and a range of hours would read every person's rows in it.
        var watermark = await DayWatermarkAsync(conn, null, string.Empty, cancellationToken).ConfigureAwait(false);
        var dayFrom = CeilDay(hf);
        var dayTo = Math.Max(dayFrom, FloorDay(ht));
        var (dayEnd, hoursFrom) = SplitAtWatermark(watermark, dayFrom, dayTo);
        var sums = string.Join(", ", RollupAccumulator.ValueColumns.Take(11).Select(c => $"SUM({c})"));
        var hourList = HourList((hf, Math.Min(dayFrom, ht)), (Math.Max(hoursFrom, hf), ht));
        await using (var cmd = Command(conn, null, $"""
            SELECT 'x', {sums} FROM (
              SELECT {string.Join(", ", RollupAccumulator.ValueColumns.Take(11))} FROM usage_rollups
                WHERE bucket_size = 'd' AND dim = @dim AND dim_value = @v AND bucket_start >= @df AND bucket_start < @de
              UNION ALL
              SELECT {string.Join(", ", RollupAccumulator.ValueColumns.Take(11))} FROM usage_rollups
                WHERE bucket_size = 'h' AND dim = @dim AND bucket_start IN ({hourList}) AND dim_value = @v) AS r
            """, ("dim", dim), ("v", dimension == UsageDimension.Org ? "*" : value), ("df", dayFrom), ("de", dayEnd)))
        {
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                totals = ReadTotals(reader, 1);
            }
        }

        // The partial hours at the edges come from raw records (a time zone with a :30 offset starts mid-hour).
        var rawFilter = dimension switch
        {
            UsageDimension.User => "user_id = @v",
            UsageDimension.Group => "group_list LIKE @v",
            UsageDimension.Key => "key_id = @v",
            _ => "1 = 1",
        };
        var rawValue = dimension == UsageDimension.Group ? $"%|{value}|%" : value;
        foreach (var (a, b) in new[] { (windowStart.ToUnixTimeMilliseconds(), hf * 1000), (ht * 1000, windowEnd.ToUnixTimeMilliseconds()) })
        {
            if (a >= b)
            {
                continue;
            }

            await using var cmd = Command(conn, null, $"""
                SELECT 'x', COUNT(*), SUM(input_tokens), SUM(output_tokens), SUM(cache_read_tokens), SUM(cache_write_5m_tokens + cache_write_1h_tokens),
                       SUM(cost_nanos), SUM(is_estimate), SUM(CASE WHEN price_basis = 'Fallback' THEN 1 ELSE 0 END),
                       SUM(CASE WHEN price_basis = 'Unpriced' THEN 1 ELSE 0 END), SUM(CASE WHEN outcome = 'RefusedByPolicy' THEN 1 ELSE 0 END),
                       SUM(CASE WHEN source = 'device' THEN 1 ELSE 0 END)
                FROM usage_records WHERE ts_ms >= @a AND ts_ms < @b AND {rawFilter}
                """, ("a", a), ("b", b), ("v", rawValue));
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                totals = Add(totals, ReadTotals(reader, 1));
            }
        }

        return totals;
    }

    public async Task<IReadOnlyList<UsageRecord>> RecentAsync(bool refusedOnly, int limit, CancellationToken cancellationToken)
    {
        await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = Command(conn, null,
            $"SELECT {string.Join(", ", UsageSchema.RecordColumns)} FROM usage_records {(refusedOnly ? "WHERE outcome = 'RefusedByPolicy' " : string.Empty)}ORDER BY ts_ms DESC LIMIT @limit",
            ("limit", limit));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<UsageRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(ReadRecord(reader));
        }

        return list;
    }

    public async Task<long> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = Command(conn, null, "DELETE FROM usage_records WHERE ts_ms < @b", ("b", before.ToUnixTimeMilliseconds()));
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<long> CountRecordsAsync(CancellationToken cancellationToken)
    {
        await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return Convert.ToInt64(await ScalarAsync(conn, null, "SELECT COUNT(*) FROM usage_records", [], cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    public async Task PingAsync(CancellationToken cancellationToken)
    {
        await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ScalarAsync(conn, null, "SELECT COUNT(*) FROM usage_schema_version", [], cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<BudgetDefinition>> ListBudgetsAsync(CancellationToken cancellationToken)
    {
        await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = Command(conn, null, "SELECT id, scope, scope_value, period, limit_usd_nanos, limit_tokens, soft_percent, time_zone, reset_at_ms FROM usage_budgets ORDER BY id");
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<BudgetDefinition>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new BudgetDefinition
            {
                Id = reader.GetString(0),
                Scope = Enum.Parse<UsageDimension>(reader.GetString(1), ignoreCase: true),
                ScopeValue = reader.GetString(2),
                Period = Enum.Parse<BudgetPeriod>(reader.GetString(3), ignoreCase: true),
                LimitUsd = reader.IsDBNull(4) ? null : UsagePricer.FromNanos(Convert.ToInt64(reader.GetValue(4), CultureInfo.InvariantCulture)),
                LimitTokens = reader.IsDBNull(5) ? null : Convert.ToInt64(reader.GetValue(5), CultureInfo.InvariantCulture),
                SoftPercent = Convert.ToInt32(reader.GetValue(6), CultureInfo.InvariantCulture),
                TimeZone = reader.GetString(7),
                ResetAt = reader.IsDBNull(8) ? null : DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(reader.GetValue(8), CultureInfo.InvariantCulture)),
            });
        }

        return list;
    }

    public async Task SetBudgetAsync(BudgetDefinition budget, CancellationToken cancellationToken)
    {
        await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(conn, null, """
            INSERT INTO usage_budgets (id, scope, scope_value, period, limit_usd_nanos, limit_tokens, soft_percent, time_zone, reset_at_ms, updated_at_ms)
            VALUES (@id, @scope, @sv, @period, @usd, @tok, @soft, @tz, @reset, @now)
            ON CONFLICT (id) DO UPDATE SET scope = excluded.scope, scope_value = excluded.scope_value, period = excluded.period,
              limit_usd_nanos = excluded.limit_usd_nanos, limit_tokens = excluded.limit_tokens, soft_percent = excluded.soft_percent,
              time_zone = excluded.time_zone, reset_at_ms = excluded.reset_at_ms, updated_at_ms = excluded.updated_at_ms
            """, cancellationToken,
            ("id", budget.Id), ("scope", budget.Scope.ToString().ToLowerInvariant()), ("sv", budget.ScopeValue),
            ("period", budget.Period.ToString().ToLowerInvariant()), ("usd", budget.LimitUsd is { } u ? UsagePricer.ToNanos(u) : null),
            ("tok", budget.LimitTokens), ("soft", budget.SoftPercent), ("tz", budget.TimeZone),
            ("reset", budget.ResetAt?.ToUnixTimeMilliseconds()), ("now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())).ConfigureAwait(false);
    }

    public async Task<bool> DeleteBudgetAsync(string id, CancellationToken cancellationToken)
    {
        await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ExecuteAsync(conn, null, "DELETE FROM usage_budgets WHERE id = @id", cancellationToken, ("id", id)).ConfigureAwait(false) > 0;
    }

    public abstract ValueTask DisposeAsync();

    protected abstract ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Begins the migration transaction holding whatever lock keeps two starting replicas from migrating at once.</summary>
    protected abstract ValueTask<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken);

    protected static string DimName(UsageDimension d) => d switch
    {
        UsageDimension.User => "user",
        UsageDimension.Group => "group",
        UsageDimension.Key => "key",
        _ => "org",
    };

    protected static string GroupsText(IReadOnlyList<string> groups) => groups.Count == 0 ? "|" : "|" + string.Join('|', groups) + "|";

    protected static DbCommand Command(DbConnection conn, DbTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = conn.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        foreach (var (name, value) in parameters)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = "@" + name;
            p.Value = value ?? DBNull.Value;
            cmd.Parameters.Add(p);
        }

        return cmd;
    }

    protected static async Task<int> ExecuteAsync(DbConnection conn, DbTransaction? tx, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var cmd = Command(conn, tx, sql, parameters);
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    protected static async Task<object?> ScalarAsync(DbConnection conn, DbTransaction? tx, string sql, (string Name, object? Value)[] parameters, CancellationToken cancellationToken)
    {
        await using var cmd = Command(conn, tx, sql, parameters);
        return await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    private static UsageTotals ReadTotals(DbDataReader r, int at)
    {
        long L(int i) => r.IsDBNull(at + i) ? 0 : Convert.ToInt64(r.GetValue(at + i), CultureInfo.InvariantCulture);
        return new UsageTotals
        {
            Requests = L(0), InputTokens = L(1), OutputTokens = L(2), CacheReadTokens = L(3), CacheWriteTokens = L(4), CostNanos = L(5),
            EstimatedRequests = L(6), FallbackPricedRequests = L(7), UnpricedRequests = L(8), RefusedRequests = L(9), DeviceReportedRequests = L(10),
        };
    }

    private static UsageTotals Add(UsageTotals a, UsageTotals b) => new()
    {
        Requests = a.Requests + b.Requests, InputTokens = a.InputTokens + b.InputTokens, OutputTokens = a.OutputTokens + b.OutputTokens,
        CacheReadTokens = a.CacheReadTokens + b.CacheReadTokens, CacheWriteTokens = a.CacheWriteTokens + b.CacheWriteTokens,
        CostNanos = a.CostNanos + b.CostNanos, EstimatedRequests = a.EstimatedRequests + b.EstimatedRequests,
        FallbackPricedRequests = a.FallbackPricedRequests + b.FallbackPricedRequests, UnpricedRequests = a.UnpricedRequests + b.UnpricedRequests,
        RefusedRequests = a.RefusedRequests + b.RefusedRequests, DeviceReportedRequests = a.DeviceReportedRequests + b.DeviceReportedRequests,
    };

    private static UsageRecord ReadRecord(DbDataReader r)
    {
        string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        long L(int i) => Convert.ToInt64(r.GetValue(i), CultureInfo.InvariantCulture);
        return new UsageRecord
        {
            RequestId = r.GetString(0), TimestampMs = L(1), UserId = r.GetString(2), DisplayName = S(3),
            Groups = r.GetString(4).Split('|', StringSplitOptions.RemoveEmptyEntries), KeyId = S(5), AuthMethod = S(6), CostCentre = S(7),
            Source = r.GetString(8) == "device" ? UsageSource.Device : UsageSource.Gateway, Protocol = S(9), UserAgent = S(10),
            SessionId = S(11), AgentId = S(12), ModelRequested = r.GetString(13), ModelServed = S(14), UpstreamModelId = S(15),
            Region = S(16), Upstream = S(17), InputTokens = L(18), OutputTokens = L(19), CacheReadTokens = L(20),
            CacheWrite5mTokens = L(21), CacheWrite1hTokens = L(22), CostNanos = L(23), PriceBasis = Enum.Parse<PriceBasis>(r.GetString(24)),
            IsEstimate = L(25) != 0, Streamed = L(26) != 0, TtfbMs = r.IsDBNull(27) ? null : L(27), DurationMs = L(28),
            Outcome = Enum.Parse<UsageOutcome>(r.GetString(29)), StatusCode = (int)L(30), ErrorType = S(31), Attempts = (int)L(32),
        };
    }

    /// <summary>
    /// Where day rows end and hour rows take over in the whole days [<paramref name="dayFrom"/>, <paramref name="dayTo"/>):
    /// day rows as far as the watermark's day (its day row holds the hours folded before the watermark), hour rows from
    /// the watermark on (SqlUsageStore.Compaction). A store that never folds (watermark MaxValue) reads day rows throughout.
    /// </summary>
    private static (long DayEnd, long HoursFrom) SplitAtWatermark(long watermark, long dayFrom, long dayTo) =>
        watermark == long.MaxValue
            ? (dayTo, dayTo)
            : (Math.Clamp(CeilDay(watermark), dayFrom, dayTo), Math.Clamp(watermark, dayFrom, dayTo));

    /// <summary>
    /// The hour starts in the ranges (each from its start rounded up to an hour, to before its end) as an SQL list for
    /// <c>bucket_start IN (…)</c>: one primary key seek per hour and value. Schema 10 has no index by value over hour
    /// rows (every batch writes them), and a range of hours would read every person's rows in it. <c>NULL</c> (matches
    /// nothing) when the ranges hold no hour.
    /// </summary>
    private static string HourList(params ReadOnlySpan<(long From, long To)> ranges)
    {
        var list = new StringBuilder();
        foreach (var (from, to) in ranges)
        {
            for (var h = -Floor(-from, 3600); h < to; h += 3600)
            {
                list.Append(list.Length == 0 ? string.Empty : ", ").Append(h.ToString(CultureInfo.InvariantCulture));
            }
        }

        return list.Length == 0 ? "NULL" : list.ToString();
    }

    private static long FloorHour(DateTimeOffset t) => Floor(t.ToUnixTimeSeconds(), 3600);

    private static long CeilHour(DateTimeOffset t) => -Floor(-t.ToUnixTimeSeconds(), 3600);

    private static long FloorDay(long s) => Floor(s, 86400);

    private static long CeilDay(long s) => -Floor(-s, 86400);

    private static long Floor(long s, long m) => s - (((s % m) + m) % m);
}
