using System.Text.Json;
using Basalt.Aws;
using Basalt.Credentials;
using Basalt.Credentials.Cli;
using Basalt.Testing;

namespace Basalt.Tests.Credentials.Cli;

/// <summary>
/// The shared command handling, in process with a throwaway home: which stream gets what, exit codes, and that
/// secrets only ever reach stdout of the commands that print them.
/// </summary>
public sealed class CredentialHelperCommandTests : IDisposable
{
    private const string KeyId = "AKIAIOSFODNN7EXAMPLE";
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private const string ApiKey = "ABSKQmVkcm9ja0FQSUtleS1ib2ItYXQtMTExMTIyMjIzMzMzOkVYQU1QTEVFWEFNUExFRVhBTVBMRQ";

    private readonly TempDirectory _home = new("credentials-command");
    private readonly string _settings;

    public CredentialHelperCommandTests()
    {
        _settings = _home.Write("basalt-credential.json", $$"""
            {
              "version": 1,
              "defaultProfile": "keys",
              "profiles": {
                "keys": { "source": "static", "region": "eu-west-1", "accessKeyId": "{{KeyId}}", "secretAccessKey": "{{Secret}}" },
                "noregion": { "source": "static", "accessKeyId": "{{KeyId}}", "secretAccessKey": "{{Secret}}" },
                "apikey": { "source": "bedrock-api-key", "apiKey": "{{ApiKey}}", "output": { "headers": { "X-Team": "research" } } },
                "sso": { "source": "identity-center", "startUrl": "https://d-9067example.awsapps.com/start", "ssoRegion": "us-east-1",
                         "accountId": "111122223333", "roleName": "BedrockInference", "region": "us-east-1" }
              }
            }
            """);
    }

    [Fact]
    public async Task Process_prints_credential_process_json_and_nothing_else()
    {
        var (exit, stdout, stderr) = await RunAsync("process");

        Assert.Equal(0, exit);
        Assert.Equal($$"""{"Version":1,"AccessKeyId":"{{KeyId}}","SecretAccessKey":"{{Secret}}"}""" + "\n", stdout);
        Assert.Equal(string.Empty, stderr);
    }

    [Fact]
    public async Task Claude_code_prints_aws_credential_export_json()
    {
        var (exit, stdout, _) = await RunAsync("claude-code", "--profile", "keys");

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(KeyId, json.RootElement.GetProperty("Credentials").GetProperty("AccessKeyId").GetString());
        Assert.Equal(Secret, json.RootElement.GetProperty("Credentials").GetProperty("SecretAccessKey").GetString());
    }

    [Fact]
    public async Task Env_prints_posix_or_powershell_statements()
    {
        var (_, posix, _) = await RunAsync("env", "--shell", "posix");
        var (_, powershell, _) = await RunAsync("env", "--shell", "powershell");

        Assert.Contains($"export AWS_SECRET_ACCESS_KEY='{Secret}'\n", posix, StringComparison.Ordinal);
        Assert.Contains("export AWS_REGION='eu-west-1'\n", posix, StringComparison.Ordinal);
        Assert.Contains($"$Env:AWS_ACCESS_KEY_ID = '{KeyId}'\n", powershell, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Desktop_output_is_a_bedrock_token_minted_for_the_profile_region()
    {
        var (exit, stdout, stderr) = await RunAsync();

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, stderr);
        Assert.EndsWith("\n", stdout, StringComparison.Ordinal);
        Assert.True(BedrockApiKey.TryDecode(stdout.TrimEnd('\n'), out var decoded));
        Assert.Equal("eu-west-1", decoded!.Region);
        Assert.Equal(KeyId, decoded.AccessKeyId);
        Assert.InRange(decoded.ExpiresAt - decoded.SignedAt, TimeSpan.FromHours(11.9), TimeSpan.FromHours(12));
    }

    [Fact]
    public async Task Api_key_profile_gives_desktop_json_with_headers_but_no_aws_credentials()
    {
        var (desktopExit, desktop, _) = await RunAsync("--profile", "apikey");
        var (tokenExit, token, _) = await RunAsync("token", "--profile", "apikey");
        var (processExit, process, processErr) = await RunAsync("process", "--profile", "apikey");

        Assert.Equal(0, desktopExit);
        Assert.Equal($$$"""{"token":"{{{ApiKey}}}","headers":{"X-Team":"research"}}""" + "\n", desktop);
        Assert.Equal(0, tokenExit);
        Assert.Equal(ApiKey + "\n", token);
        Assert.Equal(1, processExit);
        Assert.Equal(string.Empty, process);
        Assert.Contains("is a Bedrock API key, which has no AWS credentials", processErr, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, processErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Minting_without_a_region_fails_with_a_fix_on_stderr()
    {
        var (exit, stdout, stderr) = await RunAsync("token", "--profile", "noregion");

        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("has no region", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_shows_the_resolution_without_secrets_or_network()
    {
        var (exit, stdout, _) = await RunAsync("explain", "--profile", "sso");
        var (keysExit, keys, _) = await RunAsync("explain");

        Assert.Equal(0, exit);
        Assert.Contains("source:", stdout, StringComparison.Ordinal);
        Assert.Contains("identity-center", stdout, StringComparison.Ordinal);
        Assert.Contains("sso token:", stdout, StringComparison.Ordinal);
        Assert.Contains("none in " + _home.Combine(".aws", "sso", "cache"), stdout, StringComparison.Ordinal);
        Assert.Contains("no cached credentials", stdout, StringComparison.Ordinal);
        Assert.Equal(0, keysExit);
        Assert.Contains("secretAccessKey:", keys, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, keys, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_expiration_is_0_for_long_term_keys_and_1_without_cached_temporary_credentials()
    {
        var (keys, _, _) = await RunAsync("check-expiration");
        var (sso, stdout, _) = await RunAsync("check-expiration", "--profile", "sso");

        Assert.Equal(0, keys);
        Assert.Equal(1, sso);
        Assert.Equal("no cached credentials\n", stdout);
    }

    [Fact]
    public async Task Silent_contexts_fail_fast_and_say_why_on_stderr_only()
    {
        var (exit, stdout, stderr) = await RunAsync(["--profile", "sso"], context: "scheduled-task");

        Assert.Equal(1, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.StartsWith("basalt-credential: The IAM Identity Center sign-in", stderr, StringComparison.Ordinal);
        Assert.Contains("(ScheduledTask) may not open a browser", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_reports_settings_diagnostics_with_file_and_line()
    {
        var broken = _home.Write("broken.json", "{\n  \"version\": 1,\n  \"profiles\": {\n    \"a\": { \"source\": \"identity-center\", \"startUrl\": \"http://insecure.example.com\" }\n  }\n}\n");

        var (ok, okOut, _) = await RunAsync("check");
        var (exit, stdout, _) = await RunAsync("check", "--settings", broken);
        var (run, runOut, runErr) = await RunAsync("process", "--settings", broken);

        Assert.Equal(0, ok);
        Assert.Contains("OK, 4 profile(s): keys, noregion, apikey, sso (default keys).", okOut, StringComparison.Ordinal);
        Assert.Equal(1, exit);
        Assert.Contains($"{broken}:4", stdout, StringComparison.Ordinal);
        Assert.Contains("is not an https URL", stdout, StringComparison.Ordinal);
        Assert.Equal(1, run);
        Assert.Equal(string.Empty, runOut);
        Assert.Contains("BSL4209", runErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_settings_and_unknown_profiles_fail_with_exit_1_and_usage_errors_with_2()
    {
        var (missing, _, missingErr) = await RunAsync(["process"], settings: false);
        var (unknown, _, unknownErr) = await RunAsync("process", "--profile", "nope");
        var (usage, usageOut, usageErr) = await RunAsync("procss");

        Assert.Equal(1, missing);
        Assert.Contains("no credential helper settings found; looked in:", missingErr, StringComparison.Ordinal);
        Assert.Equal(1, unknown);
        Assert.Contains("There is no profile \"nope\"", unknownErr, StringComparison.Ordinal);
        Assert.Equal(2, usage);
        Assert.Equal(string.Empty, usageOut);
        Assert.Contains("unknown command 'procss'", usageErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clear_cache_names_the_profiles_it_cleared()
    {
        var (exit, stdout, stderr) = await RunAsync("clear-cache");

        Assert.Equal(0, exit);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("Cleared cached credentials of 4 profiles (keys, noregion, apikey, sso).", stderr, StringComparison.Ordinal);
    }

    public void Dispose() => _home.Dispose();

    private Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args) => RunAsync(args, context: null);

    private async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string[] args, string? context = null, bool settings = true)
    {
        var environment = new CredentialEnvironment(new Dictionary<string, string?>
        {
            ["HOME"] = _home.Path,
            ["BASALT_CREDENTIAL_KEY_STORE"] = "file",
            ["CLAUDE_HELPER_CONTEXT"] = context,
        });
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var host = new CredentialHost(environment, stdout, stderr) { ExecutableDirectory = _home.Combine("bin") };
        string[] all = settings && !args.Contains("--settings") ? [.. args, "--settings", _settings] : args;
        var exit = await CredentialHelperCommand.RunAsync(all, host);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
