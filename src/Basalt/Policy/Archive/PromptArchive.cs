using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Basalt.Usage.Audit;
using Microsoft.Data.Sqlite;

namespace Basalt.Policy.Archive;

/// <summary>
/// The opt-in prompt archive (issue 12 item 3): entries encrypted at rest with AES-256-GCM under the operator's key
/// (a fresh 96-bit nonce per entry, NIST SP 800-38D §8.2.2; the entry's id, user, group, model and time are
/// authenticated as associated data, so a row cannot be moved to another user unnoticed). The file is created 0600.
/// Every read and export writes an audit event naming the reader, the reason and the entries, never their content.
/// Only groups whose policy turns the archive on ever reach <see cref="StoreAsync"/>.
/// </summary>
public sealed class PromptArchive
{
    private const int NonceBytes = 12;
    private const int TagBytes = 16;
    private readonly string _connectionString;
    private readonly ArchiveKey _key;
    private readonly AuditLog _audit;
    private readonly TimeProvider _time;

    private PromptArchive(string connectionString, ArchiveKey key, AuditLog audit, TimeProvider time)
    {
        _connectionString = connectionString;
        _key = key;
        _audit = audit;
        _time = time;
    }

    public static async Task<PromptArchive> OpenAsync(string path, ArchiveKey key, AuditLog audit, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(audit);
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

        var archive = new PromptArchive(new SqliteConnectionStringBuilder { DataSource = full, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = true, DefaultTimeout = 30 }.ToString(), key, audit, time ?? TimeProvider.System);
        await using var connection = await archive.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode=WAL;
            CREATE TABLE IF NOT EXISTS archive (
              request_id TEXT PRIMARY KEY, time INTEGER NOT NULL, user_id TEXT NOT NULL, grp TEXT NOT NULL, model TEXT NOT NULL,
              key_id TEXT NOT NULL, nonce BLOB NOT NULL, sealed BLOB NOT NULL);
            CREATE INDEX IF NOT EXISTS archive_user_time ON archive (user_id, time);
            CREATE INDEX IF NOT EXISTS archive_time ON archive (time);
            """;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return archive;
    }

    public async Task StoreAsync(ArchivedExchange entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var plain = JsonSerializer.SerializeToUtf8Bytes(new Payload(entry.Request, entry.Response), PolicyJsonContext.Default.Payload);
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var sealedBytes = new byte[plain.Length + TagBytes];
        using (var aes = new AesGcm(_key.Bytes, TagBytes))
        {
            aes.Encrypt(nonce, plain, sealedBytes.AsSpan(0, plain.Length), sealedBytes.AsSpan(plain.Length), AssociatedData(entry));
        }

        CryptographicOperations.ZeroMemory(plain);
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT OR IGNORE INTO archive VALUES ($id, $time, $user, $group, $model, $key, $nonce, $sealed)";
        command.Parameters.AddWithValue("$id", entry.RequestId);
        command.Parameters.AddWithValue("$time", entry.Time.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$user", entry.UserId);
        command.Parameters.AddWithValue("$group", entry.Group);
        command.Parameters.AddWithValue("$model", entry.Model);
        command.Parameters.AddWithValue("$key", _key.Id);
        command.Parameters.AddWithValue("$nonce", nonce);
        command.Parameters.AddWithValue("$sealed", sealedBytes);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Entries of <paramref name="userId"/> (any user when null) in [from, to), decrypted; one audit event.</summary>
    public async Task<IReadOnlyList<ArchivedExchange>> ReadAsync(string reader, string reason, string? userId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reader);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var result = new List<ArchivedExchange>();
        await using (var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT request_id, time, user_id, grp, model, key_id, nonce, sealed FROM archive WHERE time >= $from AND time < $to AND ($user IS NULL OR user_id = $user) ORDER BY time";
            command.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$user", (object?)userId ?? DBNull.Value);
            await using var rows = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await rows.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var keyId = rows.GetString(5);
                if (keyId != _key.Id)
                {
                    throw new CryptographicException($"archive entry {rows.GetString(0)} was sealed with key {keyId}, not the configured {_key.Id}; configure the key it was written with");
                }

                var entry = new ArchivedExchange(rows.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(rows.GetInt64(1)), rows.GetString(2), rows.GetString(3), rows.GetString(4), string.Empty, string.Empty);
                var nonce = (byte[])rows[6];
                var sealedBytes = (byte[])rows[7];
                var plain = new byte[sealedBytes.Length - TagBytes];
                using (var aes = new AesGcm(_key.Bytes, TagBytes))
                {
                    aes.Decrypt(nonce, sealedBytes.AsSpan(0, plain.Length), sealedBytes.AsSpan(plain.Length), plain, AssociatedData(entry));
                }

                var payload = JsonSerializer.Deserialize(plain, PolicyJsonContext.Default.Payload)!;
                CryptographicOperations.ZeroMemory(plain);
                result.Add(entry with { Request = payload.Request, Response = payload.Response });
            }
        }

        _audit.Write("archive.read", reader, ("reason", reason), ("subject", userId), ("from", from.ToString("O", System.Globalization.CultureInfo.InvariantCulture)),
            ("to", to.ToString("O", System.Globalization.CultureInfo.InvariantCulture)), ("entries", result.Count), ("ids", string.Join(',', result.Select(e => e.RequestId))));
        return result;
    }

    /// <summary>Writes the entries as JSON lines for an investigation (the reader's read is audited as one event).</summary>
    public async Task<int> ExportAsync(string reader, string reason, string? userId, DateTimeOffset from, DateTimeOffset to, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var entries = await ReadAsync(reader, reason, userId, from, to, cancellationToken).ConfigureAwait(false);
        foreach (var entry in entries)
        {
            await JsonSerializer.SerializeAsync(output, entry, PolicyJsonContext.Default.ArchivedExchange, cancellationToken).ConfigureAwait(false);
            output.WriteByte((byte)'\n');
        }

        return entries.Count;
    }

    /// <summary>Deletes entries older than <paramref name="retention"/>; returns how many.</summary>
    public async Task<int> PruneAsync(TimeSpan retention, CancellationToken cancellationToken)
    {
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM archive WHERE time < $cutoff";
        command.Parameters.AddWithValue("$cutoff", (_time.GetUtcNow() - retention).ToUnixTimeMilliseconds());
        var deleted = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        if (deleted > 0)
        {
            _audit.Write("archive.pruned", null, ("entries", deleted), ("retentionDays", retention.TotalDays));
        }

        return deleted;
    }

    private static byte[] AssociatedData(ArchivedExchange entry) =>
        Encoding.UTF8.GetBytes($"{entry.RequestId}\n{entry.UserId}\n{entry.Group}\n{entry.Model}\n{entry.Time.ToUnixTimeMilliseconds()}");

    private async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    internal sealed record Payload(string Request, string Response);
}
