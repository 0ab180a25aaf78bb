using System.Text.Json;
using Basalt.Emulator.Tests.TestSupport;
using Basalt.Testing;

namespace Basalt.Emulator.Tests.CredentialHelper;

/// <summary>
/// Many helpers at once (a Claude Desktop start, several Claude Code sessions and an AWS CLI script on one
/// laptop): the cross-process lock lets exactly one sign in at IAM Identity Center and the others take its result.
/// </summary>
public sealed class ConcurrentHelperTests
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Twenty_concurrent_helpers_sign_in_once_and_print_identical_credentials()
    {
        var org = new TestOrg();
        await using var emulator = await EmulatorServer.StartAsync(org.Options);
        using var sandbox = new HelperSandbox(IdentityCenterSeed.Settings(emulator));
        var accessToken = await IdentityCenterSeed.SignInAsync(emulator, sandbox);
        emulator.RequestLog.Clear();

        var runs = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => sandbox.RunHelperAsync(["process", "--settings", sandbox.SettingsPath])));

        Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.ToString()));
        var signIns = emulator.RequestLog.Snapshot().Where(e => e.Operation == "GetRoleCredentials").ToList();
        Assert.Single(signIns);
        Assert.True(signIns[0].Succeeded);
        Assert.Single(runs.Select(r => r.Stdout).Distinct());
        using var json = JsonDocument.Parse(runs[0].Stdout);
        var secret = json.RootElement.GetProperty("SecretAccessKey").GetString()!;
        var session = json.RootElement.GetProperty("SessionToken").GetString()!;
        Assert.All(runs, r =>
        {
            Assert.DoesNotContain(secret, r.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain(session, r.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain(accessToken, r.Stderr, StringComparison.Ordinal);
        });

        // Everything Basalt keeps for the user is private to the user, and the cache holds no plaintext secret.
        var files = Directory.GetFiles(sandbox.CacheDirectory);
        Assert.Contains(files, f => f.EndsWith(".cache", StringComparison.Ordinal));
        Assert.All(files, f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f)));
        Assert.All(files.Where(f => f.EndsWith(".cache", StringComparison.Ordinal)), f =>
        {
            var bytes = File.ReadAllText(f, System.Text.Encoding.Latin1);
            Assert.DoesNotContain(secret, bytes, StringComparison.Ordinal);
            Assert.DoesNotContain(session, bytes, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Check_expiration_reads_only_the_cache_and_clear_cache_empties_it()
    {
        var org = new TestOrg();
        await using var emulator = await EmulatorServer.StartAsync(org.Options);
        using var sandbox = new HelperSandbox(IdentityCenterSeed.Settings(emulator));
        await IdentityCenterSeed.SignInAsync(emulator, sandbox);
        emulator.RequestLog.Clear();

        var before = await sandbox.RunHelperAsync(["check-expiration", "--settings", sandbox.SettingsPath]);
        var process = await sandbox.RunHelperAsync(["process", "--settings", sandbox.SettingsPath]);
        var after = await sandbox.RunHelperAsync(["check-expiration", "--settings", sandbox.SettingsPath]);
        var cleared = await sandbox.RunHelperAsync(["--clear-cache", "--settings", sandbox.SettingsPath]);
        var afterClear = await sandbox.RunHelperAsync(["--check-expiration", "--settings", sandbox.SettingsPath]);

        Assert.Equal(1, before.ExitCode);
        Assert.Equal(0, process.ExitCode);
        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.Contains("valid", after.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, cleared.ExitCode);
        Assert.Equal(string.Empty, cleared.Stdout);
        Assert.Equal(1, afterClear.ExitCode);

        // Only the one 'process' run talked to AWS.
        Assert.Single(emulator.RequestLog.Snapshot(), e => e.Operation == "GetRoleCredentials");
        Assert.Single(emulator.RequestLog.Snapshot());
    }
}
