using System.Data.Common;
using System.Globalization;
using System.Text;
using Basalt.Usage.Records;
using Basalt.Usage.Reports;

namespace Basalt.Usage.Stores;

/// <summary>
/// The dashboard's reads (issue 11 item 4): grouped rollups with whitelisted sorting and paging (one SQL statement,
/// the total from a window count), the problems index of raw records, recent upstream samples, and the audit table.
/// Every sort field and grouping is mapped to SQL here from a fixed table; no text from a request reaches SQL
/// other than as a parameter.
/// </summary>
internal abstract partial class SqlUsageStore
{
    /// <summary>Up to this many hours (a month) a per-value hour query lists its hours for primary key seeks.</summary>
    private const int MaxListedHours = 24 * 31;

    private const string ProblemOutcomes = "outcome IN ('RefusedByPolicy', 'UpstreamError', 'InvalidRequest')";

    private static readonly Dictionary<string, string> RollupSorts = new(StringComparer.Ordinal)
    {
        ["key"] = "k",
        ["requests"] = "SUM(requests)",
        ["inputTokens"] = "SUM(input_tokens)",
        ["outputTokens"] = "SUM(output_tokens)",
        ["cacheReadTokens"] = "SUM(cache_read_tokens)",
        ["cacheWriteTokens"] = "SUM(cache_write_tokens)",
        ["tokens"] = "(SUM(input_tokens) + SUM(output_tokens) + SUM(cache_read_tokens) + SUM(cache_write_tokens))",
        ["costUsd"] = "SUM(cost_nanos)",
        ["errors"] = "SUM(errors)",
        ["refused"] = "SUM(refused)",
    };

    private static readonly Dictionary<string, string> ProblemSorts = new(StringComparer.Ordinal)
    {
        ["time"] = "ts_ms",
        ["user"] = "user_id",
        ["model"] = "model_requested",
        ["status"] = "status_code",
    };

    private static readonly Dictionary<string, string> AuditSorts = new(StringComparer.Ordinal)
    {
        ["time"] = "ts_ms",
        ["event"] = "event",
        ["actor"] = "actor",
        ["target"] = "target",
    };

    /// <summary>The sort fields a rollup query accepts (for error messages).</summary>
    internal static IReadOnlyCollection<string> RollupSortFields => RollupSorts.Keys;

    internal static IReadOnlyCollection<string> ProblemSortFields => ProblemSorts.Keys;

    internal static IReadOnlyCollection<string> AuditSortFields => AuditSorts.Keys;

    internal async Task<DashboardPage<DashboardRollupRow>> DashboardRollupAsync(DashboardRollupQuery q, CancellationToken cancellationToken)
    {
        if (!RollupSorts.TryGetValue(q.Sort, out var sort))
        {
            throw new ArgumentException($"'{q.Sort}' is not a sort field; expected one of {string.Join(", ", RollupSorts.Keys)}", nameof(q));
        }

        await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var watermark = await DayWatermarkAsync(conn, null, string.Empty, cancellationToken).ConfigureAwait(false);
        var parameters = new List<(string, object?)> { ("dim", DimText(q.Dimension)) };
        var where = new StringBuilder("dim = @dim AND ");
        where.Append(TimeRange(q, watermark, parameters));
        if (q.Values is { } values)
        {
            if (values.Count == 0)
            {
                return new DashboardPage<DashboardRollupRow>([], 0);
            }

            where.Append(" AND dim_value IN (").Append(string.Join(", ", values.Select((v, i) => Param(parameters, "v" + i, v)))).Append(')');
        }

        if (q.Prefixes is { } prefixes)
        {
            if (prefixes.Count == 0)
            {
                return new DashboardPage<DashboardRollupRow>([], 0);
            }

            where.Append(" AND (").Append(string.Join(" OR ", prefixes.Select((p, i) =>
                $"(dim_value >= {Param(parameters, "p" + i, p)} AND dim_value < {Param(parameters, "q" + i, PrefixEnd(p))})"))).Append(')');
        }

        if (q.Model is { } model)
        {
            where.Append(" AND model = ").Append(Param(parameters, "model", model));
        }

        if (q.Source is { } source)
        {
            where.Append(" AND source = ").Append(Param(parameters, "source", source));
        }

        if (!string.IsNullOrEmpty(q.Contains))
        {
            where.Append(" AND dim_value LIKE ").Append(Param(parameters, "contains", "%" + EscapeLike(q.Contains) + "%")).Append(" ESCAPE '\\'");
        }

        var key = q.GroupBy switch
        {
            RollupGrouping.Model => "model",
            RollupGrouping.Bucket => q.HourBuckets ? "bucket_start" : "(bucket_start - (bucket_start % 86400))",
            _ => "dim_value",
        };
        var sql = $"""
            SELECT {key} AS k, SUM(requests), SUM(input_tokens), SUM(output_tokens), SUM(cache_read_tokens), SUM(cache_write_tokens),
                   SUM(cost_nanos), SUM(estimated), SUM(fallback_priced), SUM(unpriced), SUM(refused), SUM(device), SUM(errors), COUNT(*) OVER ()
            FROM usage_rollups WHERE {where}
            GROUP BY {key} ORDER BY {sort} {(q.Descending ? "DESC" : "ASC")}, k LIMIT @limit OFFSET @offset
            """;
        parameters.Add(("limit", q.Limit));
        parameters.Add(("offset", q.Offset));
        var rows = new List<DashboardRollupRow>();
        long total = 0;
        await using (var cmd = Command(conn, null, sql, [.. parameters]))
        {
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var k = reader.GetValue(0) is string text ? text : Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
                var totals = ReadTotals(reader, 1) with { ErrorRequests = reader.IsDBNull(12) ? 0 : Convert.ToInt64(reader.GetValue(12), CultureInfo.InvariantCulture) };
                rows.Add(new DashboardRollupRow(k, totals));
                total = Convert.ToInt64(reader.GetValue(13), CultureInfo.InvariantCulture);
            }
        }

        if (rows.Count == 0 && q.Offset > 0)
        {
            // Past the end: the window count came with no row, so count the groups on their own.
            var countSql = $"SELECT COUNT(*) FROM (SELECT {key} AS k FROM usage_rollups WHERE {where} GROUP BY {key}) g";
            total = Convert.ToInt64(await ScalarAsync(conn, null, countSql, [.. parameters], cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        return new DashboardPage<DashboardRollupRow>(rows, total);
    }

    /// <summary>
    /// How many distinct users of <paramref name="group"/> used the gateway on the days of the range: member day
    /// rollups as far as the watermark's day, member hour rollups from the watermark on (SqlUsageStore.Compaction).
    /// The hour rows by primary key seeks, one per hour since the watermark (<see cref="HourList"/>).
    /// </summary>
    internal async Task<long> GroupUserCountAsync(string group, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var prefix = group + "|";
        var a = FloorDay(from.ToUnixTimeSeconds());
        var b = Math.Max(a, to.ToUnixTimeSeconds());
        var w = await DayWatermarkAsync(conn, null, string.Empty, cancellationToken).ConfigureAwait(false);
        var (de, he) = SplitAtWatermark(w, a, b);

        // The hours after the watermark (today's, up to 24 since whole-day folds) one primary key range each: the team's
        // members of that hour. A range of hours instead read every team's member rows of those hours, per team
        // (/admin/api/groups: 208 ms at 10 M records, bench/results/dashboard.json).
        // A watermark more than a month behind (a store idle since): one range instead.
        var hourRange = b - he <= MaxListedHours * 3600L ? $"bucket_start IN ({HourList((he, b))})" : "bucket_start >= @he AND bucket_start < @b";
        return Convert.ToInt64(await ScalarAsync(conn, null,
            $"""
            SELECT COUNT(*) FROM (
              SELECT dim_value FROM usage_rollups WHERE bucket_size = 'd' AND dim = 'member' AND dim_value >= @p AND dim_value < @q AND bucket_start >= @a AND bucket_start < @de
              UNION
              SELECT dim_value FROM usage_rollups WHERE bucket_size = 'h' AND dim = 'member' AND {hourRange} AND dim_value >= @p AND dim_value < @q) AS m
            """,
            [("p", prefix), ("q", PrefixEnd(prefix)), ("a", a), ("de", de), ("he", he), ("b", b)], cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }

    /// <summary>Whether <paramref name="user"/> has any usage as a member of one of <paramref name="teams"/> (a team lead's reach).</summary>
    internal async Task<bool> IsMemberOfAsync(string user, IReadOnlyList<string> teams, CancellationToken cancellationToken)
    {
        if (teams.Count == 0)
        {
            return false;
        }

        await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var parameters = new List<(string, object?)>();
        var list = string.Join(", ", teams.Select((t, i) => Param(parameters, "m" + i, t + "|" + user)));
        // Day rows (usage_rollups_day_value; complete below the compaction watermark), hour rows from the watermark on by
        // primary key seeks, an hour listed at a time up to the present (the watermark is at most a day or so behind),
        // and any hour rows stamped later (a device's clock ahead) by a range that is empty as a rule: schema 10 has no
        // index by value over hour rows, which every batch writes.
        var watermark = await DayWatermarkAsync(conn, null, string.Empty, cancellationToken).ConfigureAwait(false);
        var next = FloorHour(DateTimeOffset.UtcNow) + 3600;
        var from = Math.Min(watermark, next);
        // A watermark more than a month behind (a store idle since): the range from it, read once.
        var listed = next - from <= MaxListedHours * 3600L;
        parameters.Add(("next", listed ? next : from));
        var found = await ScalarAsync(conn, null,
            $"""
            SELECT 1 FROM usage_rollups WHERE bucket_size = 'd' AND dim = 'member' AND dim_value IN ({list})
            UNION ALL
            SELECT 1 FROM usage_rollups WHERE bucket_size = 'h' AND dim = 'member' AND bucket_start IN ({(listed ? HourList((from, next)) : "NULL")}) AND dim_value IN ({list})
            UNION ALL
            SELECT 1 FROM usage_rollups WHERE bucket_size = 'h' AND dim = 'member' AND bucket_start >= @next AND dim_value IN ({list})
            LIMIT 1
            """, [.. parameters], cancellationToken).ConfigureAwait(false);
        return found is not null and not DBNull;
    }

    internal async Task<DashboardPage<UsageRecord>> ProblemsAsync(ProblemQuery q, CancellationToken cancellationToken)
    {
        var (where, parameters, order) = ProblemSql(q);
        await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var total = Convert.ToInt64(await ScalarAsync(conn, null, $"SELECT COUNT(*) FROM usage_records WHERE {where}", [.. parameters], cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        parameters.Add(("limit", q.Limit));
        parameters.Add(("offset", q.Offset));
        await using var cmd = Command(conn, null,
            $"SELECT {string.Join(", ", UsageSchema.RecordColumns)} FROM usage_records WHERE {where} ORDER BY {order} LIMIT @limit OFFSET @offset",
            [.. parameters]);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<UsageRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(ReadRecord(reader));
        }

        return new DashboardPage<UsageRecord>(list, total);
    }

    /// <summary>
    /// The engine's plan for <see cref="ProblemsAsync"/>'s count (which reads every matching row): tests and the
    /// benchmark check that a filter is served by an index (e.g. <c>usage_records_problems_user</c>) and not a scan.
    /// On PostgreSQL sequential scans are discouraged for the one statement, so the plan names the index that can
    /// serve the filter even on a table too small for the planner to bother.
    /// </summary>
    internal async Task<string> ProblemsPlanAsync(ProblemQuery q, CancellationToken cancellationToken)
    {
        var (where, parameters, _) = ProblemSql(q);
        await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (Kind != "sqlite")
        {
            await ExecuteAsync(conn, tx, "SET LOCAL enable_seqscan = off", cancellationToken).ConfigureAwait(false);
        }

        await using var cmd = Command(conn, tx, $"{(Kind == "sqlite" ? "EXPLAIN QUERY PLAN" : "EXPLAIN")} SELECT COUNT(*) FROM usage_records WHERE {where}", [.. parameters]);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var plan = new StringBuilder();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            plan.AppendLine(Convert.ToString(reader.GetValue(reader.FieldCount - 1), CultureInfo.InvariantCulture));
        }

        return plan.ToString();
    }

    private static (string Where, List<(string, object?)> Parameters, string Order) ProblemSql(ProblemQuery q)
    {
        if (!ProblemSorts.TryGetValue(q.Sort, out var sort))
        {
            throw new ArgumentException($"'{q.Sort}' is not a sort field; expected one of {string.Join(", ", ProblemSorts.Keys)}", nameof(q));
        }

        var parameters = new List<(string, object?)>();
        var where = ProblemWhere(q.From, q.To, q.Teams, parameters);
        if (q.Outcomes is { Count: > 0 } outcomes)
        {
            where += " AND outcome IN (" + string.Join(", ", outcomes.Select((o, i) => Param(parameters, "o" + i, o.ToString()))) + ")";
        }

        if (q.User is { } user)
        {
            // Served by usage_records_problems_user (schema 6): one person's problem rows by time.
            where += " AND user_id = " + Param(parameters, "user", user);
        }

        if (q.Group is { } group)
        {
            where += " AND group_list LIKE " + Param(parameters, "group", "%|" + EscapeLike(group) + "|%") + " ESCAPE '\\'";
        }

        if (q.Model is { } model)
        {
            where += " AND (model_requested = " + Param(parameters, "model", model) + " OR model_served = @model)";
        }

        if (q.Reason is { } reason)
        {
            where += " AND error_type = " + Param(parameters, "reason", reason);
        }

        return (where, parameters, $"{sort} {(q.Descending ? "DESC" : "ASC")}, request_id");
    }

    /// <summary>Counts of problems by outcome and error type in the range (the refusal filter's choices).</summary>
    internal async Task<IReadOnlyList<(string Outcome, string? Reason, long Count)>> ProblemReasonsAsync(DateTimeOffset from, DateTimeOffset to, IReadOnlyList<string>? teams, CancellationToken cancellationToken)
    {
        var parameters = new List<(string, object?)>();
        var where = ProblemWhere(from, to, teams, parameters);
        await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = Command(conn, null, $"SELECT outcome, error_type, COUNT(*) FROM usage_records WHERE {where} GROUP BY outcome, error_type ORDER BY COUNT(*) DESC", [.. parameters]);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<(string, string?, long)>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture)));
        }

        return list;
    }

    /// <summary>The newest gateway-metered requests that reached an upstream since <paramref name="since"/>, at most <paramref name="max"/>.</summary>
    internal async Task<IReadOnlyList<UpstreamSample>> UpstreamSamplesAsync(DateTimeOffset since, int max, CancellationToken cancellationToken)
    {
        await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = Command(conn, null,
            "SELECT upstream, region, ts_ms, duration_ms, ttfb_ms, outcome FROM usage_records WHERE ts_ms >= @since AND upstream IS NOT NULL AND source = 'gateway' ORDER BY ts_ms DESC LIMIT @max",
            ("since", since.ToUnixTimeMilliseconds()), ("max", max));
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<UpstreamSample>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            long L(int i) => Convert.ToInt64(reader.GetValue(i), CultureInfo.InvariantCulture);
            list.Add(new UpstreamSample(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), L(2), L(3), reader.IsDBNull(4) ? null : L(4), reader.GetString(5) == nameof(UsageOutcome.UpstreamError)));
        }

        return list;
    }

    internal async Task WriteAuditAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(conn, null, "INSERT INTO usage_audit (id, ts_ms, event, actor, target, details) VALUES (@id, @ts, @event, @actor, @target, @details)", cancellationToken,
            ("id", entry.Id), ("ts", entry.Time.ToUnixTimeMilliseconds()), ("event", entry.Event), ("actor", entry.Actor), ("target", entry.Target), ("details", entry.DetailsJson)).ConfigureAwait(false);
    }

    internal async Task<DashboardPage<AuditEntry>> AuditAsync(AuditQuery q, CancellationToken cancellationToken)
    {
        if (!AuditSorts.TryGetValue(q.Sort, out var sort))
        {
            throw new ArgumentException($"'{q.Sort}' is not a sort field; expected one of {string.Join(", ", AuditSorts.Keys)}", nameof(q));
        }

        var parameters = new List<(string, object?)> { ("a", q.From.ToUnixTimeMilliseconds()), ("b", q.To.ToUnixTimeMilliseconds()) };
        var where = "ts_ms >= @a AND ts_ms < @b";
        if (q.Event is { } e)
        {
            where += " AND event = " + Param(parameters, "event", e);
        }

        if (q.Actor is { } actor)
        {
            where += " AND actor = " + Param(parameters, "actor", actor);
        }

        await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var total = Convert.ToInt64(await ScalarAsync(conn, null, $"SELECT COUNT(*) FROM usage_audit WHERE {where}", [.. parameters], cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
        parameters.Add(("limit", q.Limit));
        parameters.Add(("offset", q.Offset));
        await using var cmd = Command(conn, null, $"SELECT id, ts_ms, event, actor, target, details FROM usage_audit WHERE {where} ORDER BY {sort} {(q.Descending ? "DESC" : "ASC")}, id LIMIT @limit OFFSET @offset", [.. parameters]);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<AuditEntry>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(new AuditEntry(reader.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture)), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5)));
        }

        return new DashboardPage<AuditEntry>(list, total);
    }

    internal async Task<IReadOnlyList<string>> AuditEventsAsync(CancellationToken cancellationToken)
    {
        await using var conn = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var cmd = Command(conn, null, "SELECT DISTINCT event FROM usage_audit ORDER BY event");
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var list = new List<string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            list.Add(reader.GetString(0));
        }

        return list;
    }

    /// <summary>
    /// Whole UTC days from day rollups, partial days at the edges from hour rollups (as <see cref="ReportAsync"/>);
    /// hour buckets read hour rollups only, up to the hour containing <c>To</c> so the current hour shows.
    /// </summary>
    private static string TimeRange(DashboardRollupQuery q, long watermark, List<(string, object?)> parameters)
    {
        if (q.GroupBy == RollupGrouping.Bucket && q.HourBuckets)
        {
            var hf = FloorHour(q.From);
            var ht = CeilHour(q.To);
            if (q.Values is { Count: > 0 } && ht - hf <= MaxListedHours * 3600)
            {
                // A few people's or teams' hours (HourList).
                return $"bucket_size = 'h' AND bucket_start IN ({HourList((hf, ht))})";
            }

            parameters.Add(("hf", hf));
            parameters.Add(("ht", ht));
            return "bucket_size = 'h' AND bucket_start >= @hf AND bucket_start < @ht";
        }

        var from = FloorHour(q.From);
        var to = FloorHour(q.To);
        var dayFrom = CeilDay(from);
        var dayTo = FloorDay(to);
        if (q.To >= DateTimeOffset.UtcNow && dayTo >= dayFrom)
        {
            dayTo = FloorDay(to) + 86400;
            to = dayTo;
        }

        if (dayFrom >= dayTo)
        {
            dayFrom = dayTo = to;
        }

        // Day rows as far as the watermark (SqlUsageStore.Compaction), hour rows from it on.
        return RollupTimeRange(watermark, dayFrom, dayTo, from, to, parameters);
    }

    /// <summary>The problems index's own predicate first, so both engines use the partial index.</summary>
    private static string ProblemWhere(DateTimeOffset from, DateTimeOffset to, IReadOnlyList<string>? teams, List<(string, object?)> parameters)
    {
        parameters.Add(("a", from.ToUnixTimeMilliseconds()));
        parameters.Add(("b", to.ToUnixTimeMilliseconds()));
        var where = $"{ProblemOutcomes} AND ts_ms >= @a AND ts_ms < @b";
        if (teams is not null)
        {
            where += teams.Count == 0
                ? " AND 1 = 0"
                : " AND (" + string.Join(" OR ", teams.Select((t, i) => $"group_list LIKE {Param(parameters, "t" + i, "%|" + EscapeLike(t) + "|%")} ESCAPE '\\'")) + ")";
        }

        return where;
    }

    private static string Param(List<(string, object?)> parameters, string name, object? value)
    {
        parameters.Add((name, value));
        return "@" + name;
    }

    private static string DimText(RollupDimension d) => d switch
    {
        RollupDimension.User => "user",
        RollupDimension.Group => "group",
        RollupDimension.Key => "key",
        RollupDimension.Member => "member",
        _ => "org",
    };

    /// <summary>The smallest string after every string starting with <paramref name="prefix"/> (last character + 1).</summary>
    private static string PrefixEnd(string prefix) => prefix[..^1] + (char)(prefix[^1] + 1);

    private static string EscapeLike(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
