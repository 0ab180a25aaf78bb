using System.Security.Cryptography;
using System.Text;
using Basalt.Policy.Archive;
using Basalt.Usage.Audit;
using Microsoft.Data.Sqlite;

namespace Basalt.Tests.Policy.Archive;

public sealed class PromptArchiveTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("basalt-archive-").FullName;
    private readonly StringWriter _auditText = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private static ArchivedExchange Entry(string id, string user, DateTimeOffset time) =>
        new(id, time, user, "legal", "claude-sonnet-5", "{\"messages\":[{\"role\":\"user\",\"content\":\"the merger codename is BLUEBIRD\"}]}", "Understood: BLUEBIRD.");

    [Fact]
    public async Task Entries_are_encrypted_at_rest_decrypt_with_the_key_and_every_read_is_audited()
    {
        var key = ArchiveKey.Generate();
        var path = Path.Combine(_dir, "archive.db");
        var archive = await PromptArchive.OpenAsync(path, key, new AuditLog(_auditText));
        var now = DateTimeOffset.UtcNow;
        await archive.StoreAsync(Entry("req_1", "alice", now), CancellationToken.None);
        await archive.StoreAsync(Entry("req_2", "bob", now), CancellationToken.None);
        SqliteConnection.ClearAllPools();

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
        foreach (var file in Directory.GetFiles(_dir))
        {
            Assert.DoesNotContain("BLUEBIRD", Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file)), StringComparison.Ordinal);
        }

        var read = await archive.ReadAsync("investigator@example.com", "case 42", "alice", now.AddMinutes(-1), now.AddMinutes(1), CancellationToken.None);
        var entry = Assert.Single(read);
        Assert.Contains("BLUEBIRD", entry.Request, StringComparison.Ordinal);
        Assert.Equal("Understood: BLUEBIRD.", entry.Response);

        var audit = _auditText.ToString();
        Assert.Contains("\"event\":\"archive.read\"", audit, StringComparison.Ordinal);
        Assert.Contains("\"user\":\"investigator@example.com\"", audit, StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"case 42\"", audit, StringComparison.Ordinal);
        Assert.Contains("req_1", audit, StringComparison.Ordinal);
        Assert.DoesNotContain("BLUEBIRD", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_wrong_key_is_a_clear_error_and_a_row_moved_to_another_user_fails_authentication()
    {
        var path = Path.Combine(_dir, "archive.db");
        var now = DateTimeOffset.UtcNow;
        var archive = await PromptArchive.OpenAsync(path, ArchiveKey.Generate(), new AuditLog(_auditText));
        await archive.StoreAsync(Entry("req_1", "alice", now), CancellationToken.None);

        var other = await PromptArchive.OpenAsync(path, ArchiveKey.Generate(), new AuditLog(_auditText));
        var wrongKey = await Assert.ThrowsAsync<CryptographicException>(() => other.ReadAsync("x", "y", null, now.AddMinutes(-1), now.AddMinutes(1), CancellationToken.None));
        Assert.Contains("sealed with key", wrongKey.Message, StringComparison.Ordinal);

        await using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE archive SET user_id = 'mallory'";
            await command.ExecuteNonQueryAsync();
        }

        await Assert.ThrowsAnyAsync<CryptographicException>(() => archive.ReadAsync("x", "y", "mallory", now.AddMinutes(-1), now.AddMinutes(1), CancellationToken.None));
    }

    [Fact]
    public async Task Export_writes_json_lines_and_retention_prunes_old_entries()
    {
        var archive = await PromptArchive.OpenAsync(Path.Combine(_dir, "archive.db"), ArchiveKey.Generate(), new AuditLog(_auditText));
        var now = DateTimeOffset.UtcNow;
        await archive.StoreAsync(Entry("old", "alice", now.AddDays(-100)), CancellationToken.None);
        await archive.StoreAsync(Entry("new", "alice", now), CancellationToken.None);

        using var output = new MemoryStream();
        Assert.Equal(2, await archive.ExportAsync("auditor", "subject access request", "alice", now.AddDays(-365), now.AddMinutes(1), output, CancellationToken.None));
        Assert.Equal(2, Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        Assert.Equal(1, await archive.PruneAsync(TimeSpan.FromDays(90), CancellationToken.None));
        var left = await archive.ReadAsync("auditor", "check", null, now.AddDays(-365), now.AddMinutes(1), CancellationToken.None);
        Assert.Equal("new", Assert.Single(left).RequestId);
    }

    [Fact]
    public void A_bad_key_says_what_is_wrong_without_showing_it()
    {
        Assert.False(ArchiveKey.TryParse("not base64!", out _, out var problem));
        Assert.Contains("openssl rand -base64 32", problem, StringComparison.Ordinal);
        Assert.False(ArchiveKey.TryParse(Convert.ToBase64String(new byte[16]), out _, out problem));
        Assert.Contains("16 bytes", problem, StringComparison.Ordinal);
        Assert.True(ArchiveKey.TryParse(ArchiveKey.Generate().ToBase64(), out var key, out _));
        Assert.DoesNotContain(key!.ToBase64(), key.ToString(), StringComparison.Ordinal);
    }
}
