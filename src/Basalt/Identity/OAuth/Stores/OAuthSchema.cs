namespace Basalt.Identity.OAuth.Stores;

/// <summary>
/// The authorization server's tables, one shape for SQLite and PostgreSQL (like <c>ApiKeySchema</c>): times are
/// Unix milliseconds in BIGINT, groups newline-separated text, the key binary (BLOB / BYTEA). Refresh tokens are
/// stored only as the SHA-256 of the token (a 256-bit random value, so no salt is needed to resist guessing), and
/// each belongs to a family: the chain of rotations from one sign-in (RFC 9700 §4.14.2). Sign-ins in progress
/// (device grants, sign-ins at the IdP, authorization codes) are rows too, so every replica sees them; device and
/// authorization codes are kept as SHA-256 like refresh tokens, and redeeming one is a single
/// <c>DELETE … RETURNING</c>, so of two replicas racing for a code exactly one gets it. The gateway's IAM Identity
/// Center client registration is a row too: a code /authorize issued to one replica's client must be redeemed with
/// that client's secret on whichever replica the browser comes back to.
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
        CREATE TABLE IF NOT EXISTS oauth_device_grants (
          device_hash TEXT PRIMARY KEY,
          user_code TEXT NOT NULL UNIQUE,
          client_id TEXT NOT NULL,
          scope TEXT NOT NULL,
          expires_at BIGINT NOT NULL,
          interval_ms BIGINT NOT NULL,
          last_poll BIGINT NULL,
          status TEXT NOT NULL,
          user_id TEXT NULL,
          display_name TEXT NULL,
          email TEXT NULL,
          groups TEXT NULL,
          cost_centre TEXT NULL,
          guesses_at_start BIGINT NULL
        );
        CREATE INDEX IF NOT EXISTS oauth_device_grants_expiry ON oauth_device_grants (expires_at);
        CREATE TABLE IF NOT EXISTS oauth_sign_ins (
          state TEXT PRIMARY KEY,
          nonce TEXT NOT NULL,
          verifier TEXT NOT NULL,
          expires_at BIGINT NOT NULL,
          device_hash TEXT NULL,
          client_id TEXT NULL,
          redirect_uri TEXT NULL,
          client_state TEXT NULL,
          code_challenge TEXT NULL,
          scope TEXT NULL
        );
        CREATE INDEX IF NOT EXISTS oauth_sign_ins_expiry ON oauth_sign_ins (expires_at);
        CREATE TABLE IF NOT EXISTS oauth_codes (
          code_hash TEXT PRIMARY KEY,
          client_id TEXT NOT NULL,
          redirect_uri TEXT NOT NULL,
          client_state TEXT NULL,
          code_challenge TEXT NOT NULL,
          scope TEXT NOT NULL,
          user_id TEXT NOT NULL,
          display_name TEXT NOT NULL,
          email TEXT NULL,
          groups TEXT NOT NULL,
          cost_centre TEXT NULL,
          expires_at BIGINT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS oauth_codes_expiry ON oauth_codes (expires_at);
        CREATE TABLE IF NOT EXISTS oauth_user_code_failures (
          address TEXT NOT NULL,
          window_start BIGINT NOT NULL,
          failures BIGINT NOT NULL,
          PRIMARY KEY (address, window_start)
        );
        CREATE TABLE IF NOT EXISTS oauth_user_code_guesses (
          id INTEGER PRIMARY KEY,
          total BIGINT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS oauth_identity_center_clients (
          registration_key TEXT PRIMARY KEY,
          client_id TEXT NOT NULL,
          client_secret TEXT NOT NULL,
          expires_at BIGINT NOT NULL
        );
        """;

    /// <summary>
    /// Columns added after a table was first shipped, added to existing stores at open. <c>guesses_at_start</c>: the
    /// gateway-wide count of wrong user codes (<c>oauth_user_code_guesses</c>, one row) when the device grant was
    /// made, so the wrong codes entered while it was pending are a subtraction (RFC 8628 §5.1 per-code limit); NULL
    /// for a grant made before the column existed, which is not counted.
    /// </summary>
    internal static readonly (string Table, string Column, string Type)[] AddedColumns = [("oauth_device_grants", "guesses_at_start", "BIGINT NULL")];

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
