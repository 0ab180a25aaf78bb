using System.Data.Common;
using Basalt.Identity.Stores;

namespace Basalt.Identity.OAuth.Stores;

/// <summary>
/// Refresh tokens, their families and the gateway's signing key, in the embedded SQLite file (created 0600: it
/// holds the private signing key) or in the gateway's PostgreSQL (shared by replicas). One ADO.NET code path for
/// both: the SQL is portable (<see cref="OAuthSchema"/>, <c>@name</c> parameters, <c>ON CONFLICT</c>), only the
/// connection differs. Rotation is a conditional update, so two concurrent uses of one refresh token cannot both win.
/// </summary>
public sealed class OAuthStore : IAsyncDisposable
{
    private readonly IdentityDatabase _database;

    private OAuthStore(IdentityDatabase database) => _database = database;

    /// <summary>The connection the sign-ins in progress (<see cref="PendingGrants"/>) share with the tokens.</summary>
    internal IdentityDatabase Database => _database;

    public static async Task<OAuthStore> OpenSqliteAsync(string path, CancellationToken cancellationToken)
    {
        var database = await IdentityDatabase.OpenSqliteAsync(path, cancellationToken).ConfigureAwait(false);
        await database.ExecuteAsync(OAuthSchema.Sqlite, cancellationToken).ConfigureAwait(false);
        foreach (var (table, column, type) in OAuthSchema.AddedColumns)
        {
            // SQLite has no ADD COLUMN IF NOT EXISTS: ask the table what it has.
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var info = IdentityDatabase.Command(connection, "SELECT COUNT(*) FROM pragma_table_info(@table) WHERE name = @column", ("table", table), ("column", column));
            if (Convert.ToInt64(await info.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                await database.ExecuteAsync($"ALTER TABLE {table} ADD COLUMN {column} {type}", cancellationToken).ConfigureAwait(false);
            }
        }

        return new OAuthStore(database);
    }

    public static async Task<OAuthStore> OpenPostgresAsync(string connectionString, CancellationToken cancellationToken)
    {
        var database = IdentityDatabase.OpenPostgres(connectionString);
        try
        {
            await database.ExecuteAsync(OAuthSchema.PostgreSql, cancellationToken).ConfigureAwait(false);
            foreach (var (table, column, type) in OAuthSchema.AddedColumns)
            {
                await database.ExecuteAsync($"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} {type}", cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            await database.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new OAuthStore(database);
    }

    /// <summary>The signing key every replica shares: the first one to start creates it, the others read it.</summary>
    public async Task<byte[]> SigningKeyAsync(Func<byte[]> create, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(create);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (await ReadKeyAsync(connection, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            return existing;
        }

        await using (var insert = IdentityDatabase.Command(connection, "INSERT INTO oauth_signing_keys (name, pkcs8, created_at) VALUES ('current', @key, @now) ON CONFLICT (name) DO NOTHING", ("key", create()), ("now", now.ToUnixTimeMilliseconds())))
        {
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return await ReadKeyAsync(connection, cancellationToken).ConfigureAwait(false) ?? throw new InvalidOperationException("the OAuth signing key could not be stored");
    }

    /// <summary>Stores a new refresh token; <paramref name="newFamily"/> starts its family (a new sign-in).</summary>
    public async Task AddAsync(RefreshTokenRecord record, bool newFamily, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var created = record.CreatedAt.ToUnixTimeMilliseconds();
        if (newFamily)
        {
            await using var family = IdentityDatabase.Command(connection, "INSERT INTO oauth_families (family_id, user_id, client_id, created_at) VALUES (@family, @user, @client, @created)",
                ("family", record.FamilyId), ("user", record.Principal.UserId), ("client", record.ClientId), ("created", created));
            await family.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var p = record.Principal;
        await using var command = IdentityDatabase.Command(connection, """
            INSERT INTO oauth_refresh_tokens (token_hash, family_id, client_id, user_id, display_name, email, groups, cost_centre, scope, created_at, expires_at)
            VALUES (@hash, @family, @client, @user, @name, @email, @groups, @cc, @scope, @created, @expires)
            """,
            ("hash", record.TokenHash), ("family", record.FamilyId), ("client", record.ClientId), ("user", p.UserId), ("name", p.DisplayName), ("email", p.Email),
            ("groups", string.Join('\n', p.Groups)), ("cc", p.CostCentre), ("scope", record.Scope), ("created", created), ("expires", record.ExpiresAt.ToUnixTimeMilliseconds()));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The token with this hash and whether its family is revoked; null when unknown.</summary>
    public async Task<(RefreshTokenRecord Record, bool FamilyRevoked)?> FindAsync(string tokenHash, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = IdentityDatabase.Command(connection, """
            SELECT t.token_hash, t.family_id, t.client_id, t.user_id, t.display_name, t.email, t.groups, t.cost_centre, t.scope, t.created_at, t.expires_at, t.rotated_at, f.revoked_at
            FROM oauth_refresh_tokens t JOIN oauth_families f ON f.family_id = t.family_id WHERE t.token_hash = @hash
            """, ("hash", tokenHash));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var groups = reader.GetString(6);
        var principal = new Principal(reader.GetString(3), reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5),
            groups.Length == 0 ? [] : groups.Split('\n'), AuthenticationMethod.GatewayToken, "family:" + reader.GetString(1), reader.IsDBNull(7) ? null : reader.GetString(7));
        var record = new RefreshTokenRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), principal, reader.GetString(8),
            Time(reader.GetInt64(9)), Time(reader.GetInt64(10)), reader.IsDBNull(11) ? null : Time(reader.GetInt64(11)));
        return (record, !reader.IsDBNull(12));
    }

    /// <summary>Marks the token used (rotated); false when it already was, by this request's rival or earlier.</summary>
    public async Task<bool> TryRotateAsync(string tokenHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = IdentityDatabase.Command(connection, "UPDATE oauth_refresh_tokens SET rotated_at = @now WHERE token_hash = @hash AND rotated_at IS NULL",
            ("now", now.ToUnixTimeMilliseconds()), ("hash", tokenHash));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Revokes a whole family: every refresh token of that sign-in stops working.</summary>
    public async Task RevokeFamilyAsync(string familyId, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = IdentityDatabase.Command(connection, "UPDATE oauth_families SET revoked_at = @now, revoked_reason = @reason WHERE family_id = @family AND revoked_at IS NULL",
            ("now", now.ToUnixTimeMilliseconds()), ("reason", reason), ("family", familyId));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> IsFamilyRevokedAsync(string familyId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = IdentityDatabase.Command(connection, "SELECT revoked_at FROM oauth_families WHERE family_id = @family", ("family", familyId));
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);

        // An unknown family is as good as revoked: a token naming it was not issued here.
        return value is null || value is not DBNull;
    }

    /// <summary>Why the family was revoked (null when it is not), for tests and audit.</summary>
    public async Task<string?> RevocationReasonAsync(string familyId, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = IdentityDatabase.Command(connection, "SELECT revoked_reason FROM oauth_families WHERE family_id = @family", ("family", familyId));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    private static async Task<byte[]?> ReadKeyAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var select = IdentityDatabase.Command(connection, "SELECT pkcs8 FROM oauth_signing_keys WHERE name = 'current'");
        return await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as byte[];
    }

    private static DateTimeOffset Time(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
}
