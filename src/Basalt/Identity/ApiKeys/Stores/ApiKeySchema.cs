namespace Basalt.Identity.ApiKeys.Stores;

/// <summary>
/// The <c>api_keys</c> table, one shape for SQLite and PostgreSQL (issue 9 item 5): times are Unix milliseconds
/// in BIGINT (no dialect date types), allowed models newline-separated text, salt and hash binary (BLOB / BYTEA).
/// The id is the primary key, so authentication is one index lookup.
/// </summary>
public static class ApiKeySchema
{
    public const string Sqlite = """
        CREATE TABLE IF NOT EXISTS api_keys (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          owner_kind TEXT NOT NULL,
          owner TEXT NOT NULL,
          salt BLOB NOT NULL,
          hash BLOB NOT NULL,
          created_at BIGINT NOT NULL,
          expires_at BIGINT NULL,
          revoked_at BIGINT NULL,
          rotated_from TEXT NULL,
          allowed_models TEXT NOT NULL DEFAULT '',
          last_used_at BIGINT NULL
        );
        CREATE INDEX IF NOT EXISTS api_keys_owner ON api_keys (owner_kind, owner);
        """;

    /// <summary>Columns added after the first version, with their type: a store opened on an older file adds them.</summary>
    public static readonly IReadOnlyList<(string Column, string Type)> AddedColumns = [("last_used_at", "BIGINT NULL")];

    public const string PostgreSql = """
        CREATE TABLE IF NOT EXISTS api_keys (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          owner_kind TEXT NOT NULL,
          owner TEXT NOT NULL,
          salt BYTEA NOT NULL,
          hash BYTEA NOT NULL,
          created_at BIGINT NOT NULL,
          expires_at BIGINT NULL,
          revoked_at BIGINT NULL,
          rotated_from TEXT NULL,
          allowed_models TEXT NOT NULL DEFAULT '',
          last_used_at BIGINT NULL
        );
        CREATE INDEX IF NOT EXISTS api_keys_owner ON api_keys (owner_kind, owner);
        """;
}
