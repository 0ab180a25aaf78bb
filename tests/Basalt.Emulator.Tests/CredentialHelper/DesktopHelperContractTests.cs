using Basalt.Aws;
using Basalt.Emulator.Tests.TestSupport;
using Basalt.Testing;

namespace Basalt.Emulator.Tests.CredentialHelper;

/// <summary>
/// Claude Desktop's <c>inferenceCredentialHelper</c> contract (cowork3p-reference §4) with the real binary: no
/// arguments, stdout is exactly one credential, <c>CLAUDE_HELPER_CONTEXT</c> decides whether it may prompt.
/// </summary>
public sealed class DesktopHelperContractTests
{
    [Fact]
    public async Task Background_run_with_an_empty_cache_fails_fast_with_nothing_on_stdout()
    {
        var org = new TestOrg();
        await using var emulator = await EmulatorServer.StartAsync(org.Options);
        using var sandbox = new HelperSandbox(IdentityCenterSeed.Settings(emulator));

        var (result, elapsed) = await sandbox.TimeHelperAsync(["--settings", sandbox.SettingsPath], context: "background");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal(string.Empty, result.Stdout);
        Assert.Contains("may not open a browser", result.Stderr, StringComparison.Ordinal);
        Assert.InRange(elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.Empty(emulator.RequestLog.Snapshot());
    }

    [Fact]
    public async Task Mid_session_refresh_uses_the_cached_sso_token_silently()
    {
        var org = new TestOrg();
        await using var emulator = await EmulatorServer.StartAsync(org.Options);
        using var sandbox = new HelperSandbox(IdentityCenterSeed.Settings(emulator));
        await IdentityCenterSeed.SignInAsync(emulator, sandbox);

        var result = await sandbox.RunHelperAsync([], context: "mid-session-refresh", extra: new Dictionary<string, string?> { ["BASALT_CREDENTIAL_SETTINGS"] = sandbox.SettingsPath });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(string.Empty, result.Stderr);
        var token = result.Stdout.TrimEnd('\n');
        Assert.DoesNotContain('\n', token);
        Assert.True(BedrockApiKey.TryDecode(token, out var decoded));
        Assert.Equal("us-east-1", decoded!.Region);
    }

    [Fact]
    public async Task No_argument_run_prints_a_bedrock_token_the_emulated_bedrock_accepts()
    {
        var org = new TestOrg();
        await using var emulator = await EmulatorServer.StartAsync(org.Options);
        using var sandbox = new HelperSandbox(HelperSandbox.StaticSettings(org.AliceKeyId, org.AliceSecret));

        var result = await sandbox.RunHelperAsync([], context: "setup-test", extra: new Dictionary<string, string?> { ["BASALT_CREDENTIAL_SETTINGS"] = sandbox.SettingsPath });

        Assert.True(result.ExitCode == 0, result.ToString());
        var token = result.Stdout.TrimEnd('\n');
        Assert.StartsWith("bedrock-api-key-", token, StringComparison.Ordinal);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(emulator.BaseAddress, "foundation-models"));
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        using var response = await http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Contains(emulator.RequestLog.Snapshot(), e => e.PrincipalArn == $"arn:aws:iam::{TestOrg.Account}:user/engineering/alice" && e.Succeeded);
        Assert.DoesNotContain(org.AliceSecret, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Headers_in_the_profile_give_the_json_form()
    {
        var org = new TestOrg();
        await using var emulator = await EmulatorServer.StartAsync(org.Options);
        using var sandbox = new HelperSandbox(IdentityCenterSeed.Settings(emulator, headersJson: """{"X-Org-Route":"prod"}"""));
        await IdentityCenterSeed.SignInAsync(emulator, sandbox);

        var result = await sandbox.RunHelperAsync(["--settings", sandbox.SettingsPath], context: "interactive");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = System.Text.Json.JsonDocument.Parse(result.Stdout);
        Assert.StartsWith("bedrock-api-key-", json.RootElement.GetProperty("token").GetString(), StringComparison.Ordinal);
        Assert.Equal("prod", json.RootElement.GetProperty("headers").GetProperty("X-Org-Route").GetString());
    }

    [Fact]
    public async Task Usage_errors_exit_2_and_explain_shows_no_secret()
    {
        var org = new TestOrg();
        using var sandbox = new HelperSandbox(HelperSandbox.StaticSettings(org.AliceKeyId, org.AliceSecret));

        var bad = await sandbox.RunHelperAsync(["proces"]);
        var explain = await sandbox.RunHelperAsync(["explain", "--settings", sandbox.SettingsPath]);
        var missing = await sandbox.RunHelperAsync(["process", "--settings", sandbox.Home + "/nope.json"]);

        Assert.Equal(2, bad.ExitCode);
        Assert.Equal(string.Empty, bad.Stdout);
        Assert.Contains("unknown command 'proces'", bad.Stderr, StringComparison.Ordinal);
        Assert.True(explain.ExitCode == 0, explain.ToString());
        Assert.Contains("source:", explain.Stdout, StringComparison.Ordinal);
        Assert.Contains(org.AliceKeyId, explain.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(org.AliceSecret, explain.Stdout + explain.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal(string.Empty, missing.Stdout);
        Assert.Contains("does not exist", missing.Stderr, StringComparison.Ordinal);
    }
}
