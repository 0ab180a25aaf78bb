using Basalt.Policy.Archive;
using Basalt.Testing;
using Basalt.Usage.Audit;
using Microsoft.Data.Sqlite;

namespace Basalt.Cli.Tests.Gateway;

/// <summary>
/// <c>basalt gateway archive export</c> in-process against a real archive (issue 12 item 3): decrypts only with the
/// configured key, filters by person and window, writes a 0600 file, and records the read with its reason.
/// </summary>
public sealed class GatewayArchiveCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new("cli-gateway-archive");
    private readonly ArchiveKey _key = ArchiveKey.Generate();

    public GatewayArchiveCommandTests()
    {
        _dir.Write("archive.key", _key.ToBase64());
        _dir.Write("gateway.yaml", """
            gateway:
              upstreams:
                east:
                  region: us-east-1
                  credentials: { source: profile, profile: gateway }
              models:
                claude-haiku-4-5:
                  aliases: [haiku]
                  routes: [ { upstream: east, model: us.anthropic.claude-haiku-4-5-20251001-v1:0 } ]
              groups:
                legal:
                  models: ["*"]
                  policy: { archive: true }
              archive: { path: state/archive.db, key: "${file:archive.key}", retentionDays: 400 }
            """);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    [Fact]
    public async Task Export_decrypts_one_persons_exchanges_to_a_private_file_and_audits_the_read()
    {
        var now = DateTimeOffset.UtcNow;
        using (var audit = new AuditLog(TextWriter.Null))
        {
            var archive = await PromptArchive.OpenAsync(_dir.Combine("state", "archive.db"), _key, audit);
            await archive.StoreAsync(new ArchivedExchange("req_a", now.AddMinutes(-5), "alice", "legal", "claude-haiku-4-5", "{\"q\":\"contract clause 7\"}", "Clause 7 says…"), CancellationToken.None);
            await archive.StoreAsync(new ArchivedExchange("req_b", now.AddMinutes(-4), "bob", "legal", "claude-haiku-4-5", "{\"q\":\"lunch\"}", "Soup."), CancellationToken.None);
        }

        SqliteConnection.ClearAllPools();
        var output = _dir.Combine("alice.jsonl");
        var r = await InProcessCli.RunAsync(["gateway", "archive", "export", "--config", _dir.Combine("gateway.yaml"), "--reason", "case 2026-17", "--user", "alice", "--reader", "investigator", "-o", output]);

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("Exported 1 exchanges", r.Stderr, StringComparison.Ordinal);
        var lines = await File.ReadAllLinesAsync(output);
        Assert.Contains("contract clause 7", Assert.Single(lines), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(output));
        }

        var auditText = await File.ReadAllTextAsync(_dir.Combine("state", "archive-audit.jsonl"));
        Assert.Contains("\"event\":\"archive.read\"", auditText, StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"case 2026-17\"", auditText, StringComparison.Ordinal);
        Assert.Contains("\"user\":\"investigator\"", auditText, StringComparison.Ordinal);
        Assert.DoesNotContain("clause", auditText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_without_an_archive_section_says_how_to_configure_one()
    {
        _dir.Write("plain.yaml", "gateway:\n  upstreams:\n    east: { region: us-east-1, credentials: { source: profile, profile: gateway } }\n  models:\n    m: { routes: [ { upstream: east, model: us.anthropic.claude-haiku-4-5-20251001-v1:0 } ] }\n");
        var r = await InProcessCli.RunAsync(["gateway", "archive", "export", "--config", _dir.Combine("plain.yaml"), "--reason", "x"]);

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("no 'archive:' section", r.Stderr, StringComparison.Ordinal);
    }
}
