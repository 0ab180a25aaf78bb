namespace Basalt.Identity.OAuth.Stores;

/// <summary>
/// The authorization server's tables, one shape for SQLite and PostgreSQL (like <c>ApiKeySchema</c>): times are
/// Unix milliseconds in BIGINT, groups newline-separated text, the key binary (BLOB / BYTEA). Refresh tokens are
/// stored only as the SHA-256 of the token (a 256-bit random value, so no salt is needed to resist guessing), and
/// each belongs to a family: the chain of rotations from one sign-in (RFC 9700 §4.14.2).
/// </summary>
public static class OAuthSchema
{
    private const string Tables = """
        CREATE TABLE IF NOT EXISTS oauth_families (
          family_id TEXT PRIMARY KEY,
          user_id TEXT NOT NULL,
          client_id TEXT NOT NULL,
          created_at BIGINT NOT NULL,
          revoked_at BIGINT NULL,
          revoked_reason TEXT NULL
        );
        CREATE TABLE IF NOT EXISTS oauth_refresh_tokens (
          token_hash TEXT PRIMARY KEY,
          family_id TEXT NOT NULL,
          client_id TEXT NOT NULL,
          user_id TEXT NOT NULL,
          display_name TEXT NOT NULL,
          email TEXT NULL,
          groups TEXT NOT NULL,
          cost_centre TEXT NULL,
          scope TEXT NOT NULL,
          created_at BIGINT NOT NULL,
          expires_at BIGINT NOT NULL,
          rotated_at BIGINT NULL
        );
        CREATE INDEX IF NOT EXISTS oauth_refresh_tokens_family ON oauth_refresh_tokens (family_id);
        """;

    public const string Sqlite = Tables + """
        CREATE TABLE IF NOT EXISTS oauth_signing_keys (
          name TEXT PRIMARY KEY,
          pkcs8 BLOB NOT NULL,
          created_at BIGINT NOT NULL
        );
        """;

    public const string PostgreSql = Tables + """
        CREATE TABLE IF NOT EXISTS oauth_signing_keys (
          name TEXT PRIMARY KEY,
          pkcs8 BYTEA NOT NULL,
          created_at BIGINT NOT NULL
        );
        """;
}
