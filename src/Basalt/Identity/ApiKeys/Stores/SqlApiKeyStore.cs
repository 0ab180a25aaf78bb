using System.Data.Common;
using Basalt.Identity.Stores;

namespace Basalt.Identity.ApiKeys.Stores;

/// <summary>
/// Managed keys in the gateway's store (<see cref="ApiKeySchema"/>): the embedded SQLite file (created 0600: it
/// holds key hashes, and who may read it may enumerate owners), or the usage store's PostgreSQL when gateway
/// replicas share one, so a key created or revoked on one replica counts on all. One code path for both.
/// </summary>
public sealed class SqlApiKeyStore : IApiKeyStore, IAsyncDisposable
{
    private const string Columns = "id, name, owner_kind, owner, salt, hash, created_at, expires_at, revoked_at, rotated_from, allowed_models, last_used_at";
    private readonly IdentityDatabase _database;

    private SqlApiKeyStore(IdentityDatabase database) => _database = database;

    public static async Task<SqlApiKeyStore> OpenSqliteAsync(string path, CancellationToken cancellationToken)
    {
        var database = await IdentityDatabase.OpenSqliteAsync(path, cancellationToken).ConfigureAwait(false);
        await database.ExecuteAsync(ApiKeySchema.Sqlite, cancellationToken).ConfigureAwait(false);
        await AddMissingSqliteColumnsAsync(database, cancellationToken).ConfigureAwait(false);
        return new SqlApiKeyStore(database);
    }

    public static async Task<SqlApiKeyStore> OpenPostgresAsync(string connectionString, CancellationToken cancellationToken)
    {
        var database = IdentityDatabase.OpenPostgres(connectionString);
        try
        {
            await database.ExecuteAsync(ApiKeySchema.PostgreSql, cancellationToken).ConfigureAwait(false);
            foreach (var (column, type) in ApiKeySchema.AddedColumns)
            {
                await database.ExecuteAsync($"ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS {column} {type}", cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            await database.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new SqlApiKeyStore(database);
    }

    public async Task AddAsync(ManagedApiKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = IdentityDatabase.Command(connection, """
            INSERT INTO api_keys (id, name, owner_kind, owner, salt, hash, created_at, expires_at, revoked_at, rotated_from, allowed_models)
            VALUES (@id, @name, @kind, @owner, @salt, @hash, @created, @expires, @revoked, @rotated, @models)
            """,
            ("id", key.Id), ("name", key.Name), ("kind", key.OwnerKind.ToString().ToLowerInvariant()), ("owner", key.Owner), ("salt", key.Salt), ("hash", key.Hash),
            ("created", key.CreatedAt.ToUnixTimeMilliseconds()), ("expires", key.ExpiresAt?.ToUnixTimeMilliseconds()), ("revoked", key.RevokedAt?.ToUnixTimeMilliseconds()),
            ("rotated", key.RotatedFrom), ("models", string.Join('\n', key.AllowedModels)));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<ManagedApiKey?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = IdentityDatabase.Command(connection, $"SELECT {Columns} FROM api_keys WHERE id = @id", ("id", id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<ManagedApiKey>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = IdentityDatabase.Command(connection, $"SELECT {Columns} FROM api_keys ORDER BY created_at, id");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        List<ManagedApiKey> keys = [];
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add(Read(reader));
        }

        return keys;
    }

    public Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
        => UpdateAsync("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, @value) WHERE id = @id", id, at.ToUnixTimeMilliseconds(), cancellationToken);

    // CASE rather than SQLite's two-argument MAX (PostgreSQL's GREATEST): the same SQL on both.
    public Task MarkUsedAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
        => UpdateAsync("UPDATE api_keys SET last_used_at = CASE WHEN last_used_at IS NULL OR last_used_at < @value THEN @value ELSE last_used_at END WHERE id = @id", id, at.ToUnixTimeMilliseconds(), cancellationToken);

    public Task<bool> SetExpiryAsync(string id, DateTimeOffset? expiresAt, CancellationToken cancellationToken)
        => UpdateAsync("UPDATE api_keys SET expires_at = @value WHERE id = @id", id, expiresAt?.ToUnixTimeMilliseconds(), cancellationToken);

    public ValueTask DisposeAsync() => _database.DisposeAsync();

    private async Task<bool> UpdateAsync(string sql, string id, long? value, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = IdentityDatabase.Command(connection, sql, ("id", id), ("value", value));
        if (value is null && command.Parameters["value"] is Npgsql.NpgsqlParameter typed)
        {
            // An untyped NULL has no type PostgreSQL can infer in every position; the column is BIGINT.
            typed.NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint;
        }

        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>A file made by an earlier Basalt lacks the newer columns; add them (SQLite has no ADD COLUMN IF NOT EXISTS).</summary>
    private static async Task AddMissingSqliteColumnsAsync(IdentityDatabase database, CancellationToken cancellationToken)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        await using (var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false))
        await using (var info = IdentityDatabase.Command(connection, "SELECT name FROM pragma_table_info('api_keys')"))
        await using (var reader = await info.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                present.Add(reader.GetString(0));
            }
        }

        foreach (var (column, type) in ApiKeySchema.AddedColumns.Where(c => !present.Contains(c.Column)))
        {
            await database.ExecuteAsync($"ALTER TABLE api_keys ADD COLUMN {column} {type}", cancellationToken).ConfigureAwait(false);
        }
    }

    private static ManagedApiKey Read(DbDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Name = reader.GetString(1),
        OwnerKind = reader.GetString(2) == "team" ? ApiKeyOwnerKind.Team : ApiKeyOwnerKind.User,
        Owner = reader.GetString(3),
        Salt = (byte[])reader[4],
        Hash = (byte[])reader[5],
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6)),
        ExpiresAt = reader.IsDBNull(7) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)),
        RevokedAt = reader.IsDBNull(8) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(8)),
        RotatedFrom = reader.IsDBNull(9) ? null : reader.GetString(9),
        AllowedModels = reader.GetString(10).Split('\n', StringSplitOptions.RemoveEmptyEntries),
        LastUsedAt = reader.IsDBNull(11) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(11)),
    };
}
