using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Basalt.Identity.Stores;

/// <summary>
/// The gateway's identity tables (managed keys, the authorization server's tokens) live in one of two places: the
/// embedded SQLite file beside the configuration (created 0600, WAL), or the usage store's PostgreSQL when several
/// gateway replicas share one (issue 9 item 5, issue 10). The stores write portable SQL (<c>@name</c> parameters,
/// BIGINT times, <c>ON CONFLICT</c>, no dialect functions), so this connection is the only thing that differs.
/// </summary>
public sealed class IdentityDatabase : IAsyncDisposable
{
    private readonly string? _sqlite;
    private readonly NpgsqlDataSource? _postgres;

    private IdentityDatabase(string? sqlite, NpgsqlDataSource? postgres)
    {
        _sqlite = sqlite;
        _postgres = postgres;
    }

    public bool IsPostgres => _postgres is not null;

    /// <summary>The SQLite file at <paramref name="path"/>, created 0600 when absent (it may hold hashes and a signing key).</summary>
    public static async Task<IdentityDatabase> OpenSqliteAsync(string path, CancellationToken cancellationToken)
    {
        Basalt.IO.SqliteRuntime.EnsureInitialized();

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

        var database = new IdentityDatabase(new SqliteConnectionStringBuilder { DataSource = full, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true, DefaultTimeout = 30 }.ToString(), null);
        await database.ExecuteAsync("PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
        return database;
    }

    public static IdentityDatabase OpenPostgres(string connectionString) => new(null, NpgsqlDataSource.Create(connectionString));

    public async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }

        var connection = new SqliteConnection(_sqlite);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, sql);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A command with named parameters (<c>@name</c> in the SQL; null values become SQL NULL).</summary>
    public static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync().ConfigureAwait(false);
        }
    }
}
