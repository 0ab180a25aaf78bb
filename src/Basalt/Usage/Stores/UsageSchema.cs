namespace Basalt.Usage.Stores;

/// <summary>
/// Versioned schema of the usage stores (issue 10 item 4). Each migration is applied once, in order, in one
/// transaction, recorded in <c>usage_schema_version</c>; a new version is appended, never edited. The DDL is
/// portable between SQLite and PostgreSQL (TEXT, BIGINT, INTEGER 0/1 for flags, costs as BIGINT nano-dollars).
/// </summary>
internal static class UsageSchema
{
    /// <summary>Columns of <c>usage_records</c>, in the order every writer and reader uses.</summary>
    public static readonly string[] RecordColumns =
    [
        "request_id", "ts_ms", "user_id", "display_name", "group_list", "key_id", "auth_method", "cost_centre", "source",
        "protocol", "user_agent", "session_id", "agent_id", "model_requested", "model_served", "upstream_model_id",
        "region", "upstream", "input_tokens", "output_tokens", "cache_read_tokens", "cache_write_5m_tokens",
        "cache_write_1h_tokens", "cost_nanos", "price_basis", "is_estimate", "streamed", "ttfb_ms", "duration_ms",
        "outcome", "status_code", "error_type", "attempts",
    ];

    public static readonly string[] RollupKeyColumns = ["bucket_size", "dim", "bucket_start", "dim_value", "model", "source"];

    /// <summary>Every column of <c>usage_rollups</c> as of version 4 (the rebuild of version 10 copies them all).</summary>
    private const string RollupColumnList =
        "bucket_size, dim, bucket_start, dim_value, model, source, requests, input_tokens, output_tokens, cache_read_tokens, " +
        "cache_write_tokens, cost_nanos, estimated, fallback_priced, unpriced, refused, device, errors";

    /// <summary>A migration statement starting with this runs on PostgreSQL only (storage settings SQLite has no syntax for).</summary>
    public const string PostgresOnly = "/* postgresql only */ ";

    /// <summary>A migration statement starting with this runs on SQLite only (its table rebuilds; PostgreSQL has no rowid to drop).</summary>
    public const string SqliteOnly = "/* sqlite only */ ";

    public static IReadOnlyList<string[]> Migrations { get; } =
    [
        // 1: raw records, rollups, budgets.
        [
            """
            CREATE TABLE usage_records (
              request_id TEXT NOT NULL PRIMARY KEY, ts_ms BIGINT NOT NULL, user_id TEXT NOT NULL, display_name TEXT,
              group_list TEXT NOT NULL, key_id TEXT, auth_method TEXT, cost_centre TEXT, source TEXT NOT NULL, protocol TEXT,
              user_agent TEXT, session_id TEXT, agent_id TEXT, model_requested TEXT NOT NULL, model_served TEXT,
              upstream_model_id TEXT, region TEXT, upstream TEXT, input_tokens BIGINT NOT NULL, output_tokens BIGINT NOT NULL,
              cache_read_tokens BIGINT NOT NULL, cache_write_5m_tokens BIGINT NOT NULL, cache_write_1h_tokens BIGINT NOT NULL,
              cost_nanos BIGINT NOT NULL, price_basis TEXT NOT NULL, is_estimate INTEGER NOT NULL, streamed INTEGER NOT NULL,
              ttfb_ms BIGINT, duration_ms BIGINT NOT NULL, outcome TEXT NOT NULL, status_code INTEGER NOT NULL,
              error_type TEXT, attempts INTEGER NOT NULL)
            """,
            "CREATE INDEX usage_records_ts ON usage_records (ts_ms)",
            "CREATE INDEX usage_records_user_ts ON usage_records (user_id, ts_ms)",
            """
            CREATE TABLE usage_rollups (
              bucket_size TEXT NOT NULL, dim TEXT NOT NULL, bucket_start BIGINT NOT NULL, dim_value TEXT NOT NULL,
              model TEXT NOT NULL, source TEXT NOT NULL, requests BIGINT NOT NULL, input_tokens BIGINT NOT NULL,
              output_tokens BIGINT NOT NULL, cache_read_tokens BIGINT NOT NULL, cache_write_tokens BIGINT NOT NULL,
              cost_nanos BIGINT NOT NULL, estimated BIGINT NOT NULL, fallback_priced BIGINT NOT NULL, unpriced BIGINT NOT NULL,
              refused BIGINT NOT NULL, device BIGINT NOT NULL,
              PRIMARY KEY (bucket_size, dim, bucket_start, dim_value, model, source))
            """,
            "CREATE INDEX usage_rollups_value ON usage_rollups (bucket_size, dim, dim_value, bucket_start)",
            """
            CREATE TABLE usage_budgets (
              id TEXT NOT NULL PRIMARY KEY, scope TEXT NOT NULL, scope_value TEXT NOT NULL, period TEXT NOT NULL,
              limit_usd_nanos BIGINT, limit_tokens BIGINT, soft_percent INTEGER NOT NULL, time_zone TEXT NOT NULL,
              reset_at_ms BIGINT, updated_at_ms BIGINT NOT NULL)
            """,
        ],

        // 2: shared quota ledger for budgets and rate limits across replicas (leases of slices).
        [
            """
            CREATE TABLE usage_quota (
              quota_key TEXT NOT NULL, window_start BIGINT NOT NULL, limit_value BIGINT NOT NULL, claimed BIGINT NOT NULL,
              PRIMARY KEY (quota_key, window_start))
            """,
        ],

        // 3: the raw per-user index cost a B-tree write per record; budget windows read raw records only for the
        // partial hours at their edges, which the time index already narrows to minutes.
        [
            "DROP INDEX IF EXISTS usage_records_user_ts",
        ],

        // 4: the dashboard (issue 11). Error counts in rollups (error rate without raw rows); a "member" rollup
        // dimension (group|user) so a team lead's per-user figures are one index range per team; a partial index of
        // the few problem rows (refusals and errors are listed and filtered from raw records, a small share of them);
        // the audit trail of dashboard changes, readable by every replica. Rows written before this version have no
        // member rollups and errors 0 (retention ages them out of raw records; their totals stay correct).
        [
            "ALTER TABLE usage_rollups ADD COLUMN errors BIGINT NOT NULL DEFAULT 0",
            "CREATE INDEX usage_records_problems ON usage_records (ts_ms) WHERE outcome IN ('RefusedByPolicy', 'UpstreamError', 'InvalidRequest')",
            """
            CREATE TABLE usage_audit (
              id TEXT NOT NULL PRIMARY KEY, ts_ms BIGINT NOT NULL, event TEXT NOT NULL, actor TEXT, target TEXT, details TEXT NOT NULL)
            """,
            "CREATE INDEX usage_audit_ts ON usage_audit (ts_ms)",
        ],

        // 5: rate limits set from the dashboard (issue 11), overriding the configuration's limit of the same
        // scope and value (the id is "scope:value"); every replica's admission re-reads them within its refresh.
        [
            """
            CREATE TABLE usage_rate_limits (
              id TEXT NOT NULL PRIMARY KEY, scope TEXT NOT NULL, scope_value TEXT NOT NULL, requests_per_minute BIGINT,
              input_tokens_per_minute BIGINT, output_tokens_per_minute BIGINT, concurrent_streams INTEGER, updated_at_ms BIGINT NOT NULL)
            """,
        ],

        // 6: one person's refusals and errors (the dashboard's refusals filtered to a user): the problems index by
        // time alone read every problem row of the range to find one user's (786 ms for 30 days at 10 M records,
        // bench/results/dashboard.json). Partial like it, so only problem rows (~2%) pay an index write.
        [
            "CREATE INDEX usage_records_problems_user ON usage_records (user_id, ts_ms) WHERE outcome IN ('RefusedByPolicy', 'UpstreamError', 'InvalidRequest')",
        ],

        // 7: version 4 added member rollups and error counts but left records written before it without them, so
        // the dashboard undercounted a team's people and errors for that period. This registers the backfill of
        // every UTC day from the oldest raw record to the day version 4 was applied (inclusive); the store runs it
        // after migrating (SqlUsageStore.BackfillAsync: a day at a time, records read in bounded batches, values
        // recomputed from raw records and written with replace semantics, so a rerun or a second replica changes nothing).
        [
            "CREATE TABLE usage_backfill (name TEXT NOT NULL PRIMARY KEY, next_day BIGINT NOT NULL, end_day BIGINT NOT NULL)",
            """
            INSERT INTO usage_backfill (name, next_day, end_day)
            SELECT 'member-errors', COALESCE((SELECT MIN(ts_ms) FROM usage_records), 0) / 86400000 * 86400,
                   (COALESCE((SELECT applied_at_ms FROM usage_schema_version WHERE version = 4), 0) / 86400000 + 1) * 86400
            """,
        ],

        // 8: day rollups by compaction (SqlUsageStore.Compaction): the writer keeps hour rollups, and day rows exist for
        // the days before the watermark. A store written before this version has day rows for every day; they are
        // kept for the days before the last day with records, whose day rows are dropped so that day is compacted
        // from its hours like any later one (its hour rows are complete, as they are for every day).
        [
            "CREATE TABLE usage_compaction (name TEXT NOT NULL PRIMARY KEY, watermark BIGINT NOT NULL)",
            """
            INSERT INTO usage_compaction (name, watermark)
            SELECT 'day', COALESCE(MAX(bucket_start) - MAX(bucket_start) % 86400, 0) FROM usage_rollups WHERE bucket_size = 'h' AND dim = 'org'
            """,
            // The dimensions listed so both engines seek the primary key per dimension instead of scanning every day row.
            """
            DELETE FROM usage_rollups WHERE bucket_size = 'd' AND dim IN ('user', 'org', 'key', 'routing', 'group', 'member')
              AND bucket_start >= (SELECT watermark FROM usage_compaction WHERE name = 'day')
            """,
        ],

        // 9: PostgreSQL updates a row by writing a new version of it; with full pages (fillfactor 100) the new version
        // lands on another page and every index gets an entry for it. A rollup row is updated by every batch of its
        // hour, and its value columns are in no index, so with room left on the page the update is HOT (heap-only:
        // no index writes, old versions pruned in place). Affects pages written from now on.
        [
            PostgresOnly + "ALTER TABLE usage_rollups SET (fillfactor = 70)",
        ],

        // 10: cheaper rollup writes (issue 10: ingest >= 50,000 records/s). A rollup row cost three B-tree writes in
        // SQLite: the rowid table, the primary key's index, and usage_rollups_value. As a WITHOUT ROWID table the primary
        // key is the table (one B-tree, an upsert one seek); SQLite cannot alter a table to that, so it is rebuilt
        // (same columns, rows copied in key order). The value index covered hour rows too, which the writer inserts
        // (every new hour and person); readers by value now read hour rows by primary key seeks (a window's hours
        // listed) and whole days from day rows, which only the fold writes: a partial index of day rows serves them
        // at no cost to the hot path. bench/results/usage.json has the numbers.
        [
            SqliteOnly + """
            CREATE TABLE usage_rollups_v10 (
              bucket_size TEXT NOT NULL, dim TEXT NOT NULL, bucket_start BIGINT NOT NULL, dim_value TEXT NOT NULL,
              model TEXT NOT NULL, source TEXT NOT NULL, requests BIGINT NOT NULL, input_tokens BIGINT NOT NULL,
              output_tokens BIGINT NOT NULL, cache_read_tokens BIGINT NOT NULL, cache_write_tokens BIGINT NOT NULL,
              cost_nanos BIGINT NOT NULL, estimated BIGINT NOT NULL, fallback_priced BIGINT NOT NULL, unpriced BIGINT NOT NULL,
              refused BIGINT NOT NULL, device BIGINT NOT NULL, errors BIGINT NOT NULL DEFAULT 0,
              PRIMARY KEY (bucket_size, dim, bucket_start, dim_value, model, source)) WITHOUT ROWID
            """,
            SqliteOnly + $"""
            INSERT INTO usage_rollups_v10 ({RollupColumnList}) SELECT {RollupColumnList} FROM usage_rollups
            ORDER BY bucket_size, dim, bucket_start, dim_value, model, source
            """,
            SqliteOnly + "DROP TABLE usage_rollups",
            SqliteOnly + "ALTER TABLE usage_rollups_v10 RENAME TO usage_rollups",
            "DROP INDEX IF EXISTS usage_rollups_value",
            "CREATE INDEX usage_rollups_day_value ON usage_rollups (dim, dim_value, bucket_start) WHERE bucket_size = 'd'",
        ],
    ];
}
