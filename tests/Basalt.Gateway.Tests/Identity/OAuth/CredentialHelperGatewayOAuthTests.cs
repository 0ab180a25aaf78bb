using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Basalt.Credentials.Cli;
using Basalt.Gateway.Tests.TestSupport;
using Basalt.Identity.OAuth;
using Basalt.Testing;

namespace Basalt.Gateway.Tests.Identity.OAuth;

/// <summary>
/// The published NativeAOT <c>basalt-credential gateway-oauth-token</c> as an OAuth client of the real gateway
/// (issue 9 item 3), with oidc-provider as the organization's IdP: the first run signs alice in with the device
/// grant (the browser opened through <c>$BROWSER</c>, the stand-in driving the gateway's user-code page and the
/// IdP over HTTP), later runs print the cached token, a half-spent token is refreshed silently (the gateway
/// rotates the refresh token), and once her sign-in is revoked a silent run says she must sign in again.
/// The gateway's access tokens live 1 minute here, so "half-spent" is 30 seconds: the helper runs that must see a
/// half-spent token run with their clock 31 or 62 seconds ahead (<see cref="FakeClock"/>) instead of the test sleeping.
/// </summary>
public sealed class CredentialHelperGatewayOAuthTests
{
    [Fact]
    public async Task The_helper_signs_in_by_device_grant_then_uses_its_cache_refreshes_silently_and_asks_for_a_new_sign_in_after_revocation()
    {
        await using var idp = await TestIdp.StartAsync();
        using var dir = new TempDirectory("gateway-oauth-helper");
        await using var host = await OAuthGateway.StartHostAsync(idp, dir.Combine("oauth.db"), extra: "      accessTokenLifetime: 1m\n");
        using var home = new TempDirectory("gateway-oauth-home");
        var settings = home.Write("basalt-credential.json", new JsonObject
        {
            ["version"] = 1,
            ["defaultProfile"] = "gateway",
            ["profiles"] = new JsonObject { ["gateway"] = new JsonObject { ["source"] = "gateway", ["gatewayUrl"] = host.BaseUrl } },
        }.ToJsonString());

        // 1. Claude Code's apiKeyHelper in a terminal: nothing cached, so the device grant; the "browser" signs alice in.
        var first = await RunAsync(home, settings, context: null, browser: TestIdp.BrowserCommand("--login", "alice"));
        Assert.True(first.ExitCode == 0, first.ToString());
        var token = Token(first);
        Assert.Contains("enter the code: ", first.Stderr, StringComparison.Ordinal);
        Assert.Contains("Signed in to the gateway " + host.BaseUrl, first.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(token, first.Stderr, StringComparison.Ordinal);
        Assert.Equal(200, await StatusAsync(host, token, "sonnet"));

        // The session (refresh token included) is in the helper's one cache, 0600, and nowhere in plain text.
        var cacheFiles = Directory.GetFiles(home.Combine(".cache", "basalt", "credentials"), "*.cache");
        Assert.NotEmpty(cacheFiles);
        if (!OperatingSystem.IsWindows())
        {
            foreach (var f in cacheFiles)
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f));
            }
        }

        Assert.All(Directory.GetFiles(home.Path, "*", SearchOption.AllDirectories), f => Assert.DoesNotContain("bgr_", File.ReadAllText(f), StringComparison.Ordinal));

        // 2. Claude Desktop's silent refresh moments later: the cached token, no sign-in, nothing on stderr.
        var second = await RunAsync(home, settings, "mid-session-refresh");
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(token, Token(second));
        Assert.Equal(string.Empty, second.Stderr);

        // 3. Past half its life: refreshed silently, a new token that works.
        var third = await RunAsync(home, settings, "mid-session-refresh", clockAhead: TimeSpan.FromSeconds(31));
        Assert.True(third.ExitCode == 0, third.ToString());
        var refreshed = Token(third);
        Assert.NotEqual(token, refreshed);
        Assert.Equal(200, await StatusAsync(host, refreshed, "sonnet"));

        // 4. An administrator (or the client) revokes her sign-in; once the cached token is half-spent, a silent
        // run cannot refresh and says what to do.
        using (var http = new HttpClient())
        using (var revoke = await http.PostAsync(host.BaseUrl + OAuthPaths.Revoke, new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = refreshed })))
        {
            Assert.Equal(200, (int)revoke.StatusCode);
        }

        Assert.Equal(401, await StatusAsync(host, refreshed, "sonnet"));
        var revoked = await RunAsync(home, settings, "mid-session-refresh", clockAhead: TimeSpan.FromSeconds(62));
        Assert.Equal(1, revoked.ExitCode);
        Assert.Equal(string.Empty, revoked.Stdout);
        Assert.Contains($"Sign-in to the gateway {host.BaseUrl} is required again (the saved sign-in was revoked or has expired)", revoked.Stderr, StringComparison.Ordinal);
        Assert.Contains("basalt-credential login", revoked.Stderr, StringComparison.Ordinal);

        // 5. She signs in again; the next silent run has a working token.
        var login = await RunAsync(home, settings, context: null, browser: TestIdp.BrowserCommand("--login", "alice"), verb: CredentialVerbNames.Login);
        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.StartsWith("Signed in to " + host.BaseUrl, login.Stdout, StringComparison.Ordinal);
        var after = await RunAsync(home, settings, "mid-session-refresh");
        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.Equal(200, await StatusAsync(host, Token(after), "haiku"));
    }

    [Fact]
    public async Task A_silent_run_without_a_sign_in_fails_fast_and_an_AWS_profile_is_told_to_use_a_gateway_profile()
    {
        using var home = new TempDirectory("gateway-oauth-silent");
        var settings = home.Write("basalt-credential.json", new JsonObject
        {
            ["version"] = 1,
            ["defaultProfile"] = "gateway",
            ["profiles"] = new JsonObject
            {
                // Nothing listens here: a silent run must not even try the network for a sign-in it may not do.
                ["gateway"] = new JsonObject { ["source"] = "gateway", ["gatewayUrl"] = "http://127.0.0.1:9" },
                ["keys"] = new JsonObject { ["source"] = "static", ["accessKeyId"] = "AKIAEXAMPLE", ["secretAccessKey"] = "secret" },
            },
        }.ToJsonString());

        var silent = await RunAsync(home, settings, "background");
        Assert.Equal(1, silent.ExitCode);
        Assert.Contains("Sign-in to the gateway http://127.0.0.1:9 is required", silent.Stderr, StringComparison.Ordinal);

        var aws = await ProcessRunner.RunAsync(Binary, [CredentialVerbNames.GatewayOAuthToken, "--settings", settings, "--profile", "keys"], environment: Environment(home, null, null), timeout: TimeSpan.FromMinutes(1));
        Assert.Equal(1, aws.ExitCode);
        Assert.Contains("needs a profile with \"source\": \"gateway\"", aws.Stderr, StringComparison.Ordinal);
    }

    private static Task<ProcessResult> RunAsync(TempDirectory home, string settings, string? context, string? browser = null, string verb = CredentialVerbNames.GatewayOAuthToken, TimeSpan? clockAhead = null)
    {
        var environment = Environment(home, context, browser);
        foreach (var (name, value) in clockAhead is { } ahead ? FakeClock.Ahead(ahead) : new Dictionary<string, string?>())
        {
            environment[name] = value;
        }

        return ProcessRunner.RunAsync(Binary, [verb, "--settings", settings], environment: environment, timeout: TimeSpan.FromMinutes(2));
    }

    private static string Token(ProcessResult run)
    {
        var token = run.Stdout.TrimEnd('\n');
        Assert.DoesNotContain('\n', token);
        Assert.Equal(3, token.Split('.').Length);
        return token;
    }

    private static string Binary => ExternalTools.CredentialHelper();

    /// <summary>A fresh user with their own HOME and cache, no display; <paramref name="browser"/> as <c>$BROWSER</c> when given.</summary>
    private static Dictionary<string, string?> Environment(TempDirectory home, string? context, string? browser) => new()
    {
        ["HOME"] = home.Path,
        ["XDG_CACHE_HOME"] = null,
        ["XDG_CONFIG_HOME"] = null,
        ["DISPLAY"] = null,
        ["WAYLAND_DISPLAY"] = null,
        ["SSH_CONNECTION"] = null,
        ["SSH_TTY"] = null,
        ["SSH_CLIENT"] = null,
        ["BASALT_CREDENTIAL_SETTINGS"] = null,
        ["BASALT_CREDENTIAL_KEY_STORE"] = null,
        ["BROWSER"] = browser,
        ["CLAUDE_HELPER_CONTEXT"] = context,
    };

    private static async Task<int> StatusAsync(GatewayTestHost host, string token, string model)
    {
        using var client = host.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var content = new StringContent($$"""{"model":"{{model}}","max_tokens":16,"messages":[{"role":"user","content":"hello"}]}""", Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/v1/messages", content);
        return (int)response.StatusCode;
    }
}
