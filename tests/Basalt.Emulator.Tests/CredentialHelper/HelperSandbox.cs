using System.Diagnostics;
using System.Text.Json.Nodes;
using Basalt.Testing;

namespace Basalt.Emulator.Tests.CredentialHelper;

/// <summary>
/// A throwaway user for the real <c>basalt-credential</c> binary (published by scripts/test.sh to
/// <c>$BASALT_CREDENTIAL_HELPER</c>): its own HOME (so ~/.aws and the credential cache are fresh), a settings file, and
/// an AWS config for the AWS CLI v2. Every variable that could leak the developer's own AWS setup is cleared.
/// </summary>
internal sealed class HelperSandbox : IDisposable
{
    private readonly TempDirectory _home = new("credential-helper");

    public HelperSandbox(string settingsJson)
    {
        SettingsPath = _home.Write("settings/basalt-credential.json", settingsJson);
    }

    /// <summary>The helper binary; a missing build fails the test with the command that makes it.</summary>
    public static string Binary => ExternalTools.CredentialHelper();

    public string Home => _home.Path;

    public string SettingsPath { get; }

    public string AwsConfigPath => _home.Combine(".aws", "config");

    /// <summary>Basalt's encrypted credential cache folder for this user (XDG default).</summary>
    public string CacheDirectory => _home.Combine(".cache", "basalt", "credentials");

    public string SsoCacheDirectory => _home.Combine(".aws", "sso", "cache");

    public Dictionary<string, string?> Environment(string? context = null)
    {
        var env = new Dictionary<string, string?>
        {
            ["HOME"] = Home,
            ["AWS_CONFIG_FILE"] = AwsConfigPath,
            ["AWS_SHARED_CREDENTIALS_FILE"] = _home.Combine(".aws", "credentials"),
            ["AWS_PROFILE"] = null,
            ["AWS_DEFAULT_PROFILE"] = null,
            ["AWS_ACCESS_KEY_ID"] = null,
            ["AWS_SECRET_ACCESS_KEY"] = null,
            ["AWS_SESSION_TOKEN"] = null,
            ["AWS_ENDPOINT_URL"] = null,
            ["AWS_ENDPOINT_URL_STS"] = null,
            ["AWS_ENDPOINT_URL_SSO"] = null,
            ["AWS_ENDPOINT_URL_SSO_OIDC"] = null,
            ["AWS_REGION"] = "us-east-1",
            ["AWS_DEFAULT_REGION"] = "us-east-1",
            ["AWS_PAGER"] = string.Empty,
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["XDG_CACHE_HOME"] = null,
            ["XDG_CONFIG_HOME"] = null,
            ["BASALT_CREDENTIAL_SETTINGS"] = null,
            ["BASALT_CREDENTIAL_KEY_STORE"] = null,
            ["BROWSER"] = "/nonexistent/browser",
            ["CLAUDE_HELPER_MANUAL_RUN"] = null,
            ["CLAUDE_HELPER_CONTEXT"] = context,
        };
        return env;
    }

    /// <summary>Writes <c>[profile NAME] credential_process = helper process --profile P --settings FILE</c>.</summary>
    public void WriteAwsProfile(string awsProfile, string helperProfile)
        => _home.Write(Path.Combine(".aws", "config"),
            $"[profile {awsProfile}]\ncredential_process = {Binary} process --profile {helperProfile} --settings {SettingsPath}\nregion = us-east-1\n");

    public Task<ProcessResult> RunHelperAsync(IEnumerable<string> args, string? context = null, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var env = Environment(context);
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>())
        {
            env[k] = v;
        }

        return ProcessRunner.RunAsync(Binary, args, environment: env, timeout: TimeSpan.FromMinutes(2));
    }

    /// <summary>The AWS CLI v2 (never the v1 first on PATH) with this user's config.</summary>
    public Task<ProcessResult> RunAwsAsync(params string[] args)
        => ProcessRunner.RunAsync(ExternalTools.AwsCliV2(), [.. args, "--output", "json"], environment: Environment(), timeout: TimeSpan.FromMinutes(2));

    /// <summary>Runs the helper and measures its wall time.</summary>
    public async Task<(ProcessResult Result, TimeSpan Elapsed)> TimeHelperAsync(IEnumerable<string> args, string? context = null)
    {
        var watch = Stopwatch.StartNew();
        var result = await RunHelperAsync(args, context);
        return (result, watch.Elapsed);
    }

    /// <summary>Settings with one static-keys profile <c>alice</c>.</summary>
    public static string StaticSettings(string accessKeyId, string secretAccessKey)
        => new JsonObject
        {
            ["version"] = 1,
            ["profiles"] = new JsonObject
            {
                ["alice"] = new JsonObject { ["source"] = "static", ["region"] = "us-east-1", ["accessKeyId"] = accessKeyId, ["secretAccessKey"] = secretAccessKey },
            },
        }.ToJsonString();

    public void Dispose() => _home.Dispose();
}
