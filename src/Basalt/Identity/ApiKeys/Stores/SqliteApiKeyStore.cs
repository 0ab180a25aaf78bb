using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Basalt.Identity.ApiKeys.Stores;

/// <summary>
/// Managed keys in the gateway's embedded SQLite file (<see cref="ApiKeySchema.Sqlite"/>). The file holds key
/// hashes, not secrets, but is still created 0600: who may read it may enumerate owners.
/// </summary>
public sealed class SqliteApiKeyStore : IApiKeyStore
{
    private static readonly Lock InitLock = new();
    private static bool initialized;
    private readonly string _connectionString;

    private SqliteApiKeyStore(string connectionString) => _connectionString = connectionString;

    public static async Task<SqliteApiKeyStore> OpenAsync(string path, CancellationToken cancellationToken)
    {
        lock (InitLock)
        {
            if (!initialized)
            {
                SQLitePCL.Batteries_V2.Init();
                initialized = true;
            }
        }

        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        if (!File.Exists(full))
        {
            await using (File.Create(full))
            {
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(full, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        var store = new SqliteApiKeyStore(new SqliteConnectionStringBuilder { DataSource = full, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true, DefaultTimeout = 30 }.ToString());
        await using var connection = await store.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;" + ApiKeySchema.Sqlite;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await AddMissingColumnsAsync(connection, cancellationToken).ConfigureAwait(false);
        return store;
    }

    public async Task AddAsync(ManagedApiKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO api_keys (id, name, owner_kind, owner, salt, hash, created_at, expires_at, revoked_at, rotated_from, allowed_models)
            VALUES ($id, $name, $kind, $owner, $salt, $hash, $created, $expires, $revoked, $rotated, $models)
            """;
        command.Parameters.AddWithValue("$id", key.Id);
        command.Parameters.AddWithValue("$name", key.Name);
        command.Parameters.AddWithValue("$kind", key.OwnerKind.ToString().ToLowerInvariant());
        command.Parameters.AddWithValue("$owner", key.Owner);
        command.Parameters.AddWithValue("$salt", key.Salt);
        command.Parameters.AddWithValue("$hash", key.Hash);
        command.Parameters.AddWithValue("$created", key.CreatedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$expires", (object?)key.ExpiresAt?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("$revoked", (object?)key.RevokedAt?.ToUnixTimeMilliseconds() ?? DBNull.Value);
        command.Parameters.AddWithValue("$rotated", (object?)key.RotatedFrom ?? DBNull.Value);
        command.Parameters.AddWithValue("$models", string.Join('\n', key.AllowedModels));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<ManagedApiKey?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, name, owner_kind, owner, salt, hash, created_at, expires_at, revoked_at, rotated_from, allowed_models, last_used_at FROM api_keys WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<ManagedApiKey>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, name, owner_kind, owner, salt, hash, created_at, expires_at, revoked_at, rotated_from, allowed_models, last_used_at FROM api_keys ORDER BY created_at, id";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        List<ManagedApiKey> keys = [];
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add(Read(reader));
        }

        return keys;
    }

    public Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
        => UpdateAsync("UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $value) WHERE id = $id", id, at.ToUnixTimeMilliseconds(), cancellationToken);

    public Task MarkUsedAsync(string id, DateTimeOffset at, CancellationToken cancellationToken)
        => UpdateAsync("UPDATE api_keys SET last_used_at = MAX(COALESCE(last_used_at, 0), $value) WHERE id = $id", id, at.ToUnixTimeMilliseconds(), cancellationToken);

    public Task<bool> SetExpiryAsync(string id, DateTimeOffset? expiresAt, CancellationToken cancellationToken)
        => UpdateAsync("UPDATE api_keys SET expires_at = $value WHERE id = $id", id, expiresAt?.ToUnixTimeMilliseconds(), cancellationToken);

    private async Task<bool> UpdateAsync(string sql, string id, long? value, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$value", (object?)value ?? DBNull.Value);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>A file made by an earlier Basalt lacks the newer columns; add them (SQLite has no ADD COLUMN IF NOT EXISTS).</summary>
    private static async Task AddMissingColumnsAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        var present = new HashSet<string>(StringComparer.Ordinal);
        await using (var info = connection.CreateCommand())
        {
            info.CommandText = "SELECT name FROM pragma_table_info('api_keys')";
            await using var reader = await info.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                present.Add(reader.GetString(0));
            }
        }

        foreach (var (column, type) in ApiKeySchema.AddedColumns)
        {
            if (!present.Contains(column))
            {
                await using var alter = connection.CreateCommand();
                alter.CommandText = $"ALTER TABLE api_keys ADD COLUMN {column} {type}";
                await alter.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
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
