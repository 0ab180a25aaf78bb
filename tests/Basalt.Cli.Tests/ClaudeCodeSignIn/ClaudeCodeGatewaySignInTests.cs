using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Basalt.Cli.Tests.Gateway;
using Basalt.Testing;

namespace Basalt.Cli.Tests.ClaudeCodeSignIn;

/// <summary>
/// Issue 9 item 6: the client that fetches <c>/managed/settings</c> is Claude Code after its own gateway sign-in
/// (docs/claude-code-gateway-signin.md). Real processes only: <c>basalt gateway serve</c> over https (a test
/// certificate Claude Code trusts through NODE_EXTRA_CA_CERTS) as the OAuth authorization server in front of the
/// emulator, oidc-provider as the organization's IdP, and Claude Code 2.1.332 from npm signing in with
/// <c>claude auth login --gateway-json</c> (the gateway named in its user settings), the browser step done by
/// browser.mjs. Then <c>claude -p</c> fetches the person's group settings, applies the model they name, and
/// answers through the gateway as alice; its next run revalidates with the checksum (304); a SIGHUP reload that
/// changes the settings changes the ETag and the model the next run uses.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ClaudeCodeGatewaySignInTests
{
    private const string AliceEmail = "Alice.O'Neil+dev@example.com";
    private const string Sonnet = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";

    [Fact]
    public async Task Claude_Code_signs_in_to_the_gateway_applies_its_managed_settings_revalidates_with_304_and_follows_a_reload()
    {
        using var dir = new TempDirectory("cc-gateway-signin");
        await using var emulator = await ServedGateway.StartEmulatorAsync();
        using var certificate = LoopbackTls.Certificate(dir, out var certFile, out var keyFile);
        var baseUrl = $"https://127.0.0.1:{LoopbackTls.FreePort()}";
        await using var idp = await TestIdp.StartAsync("--gateway-redirect", baseUrl + "/oauth/callback");
        var config = dir.Write("gateway.yaml", Config(baseUrl, certFile, keyFile, emulator.BaseAddress, idp.Issuer, dir.Combine("oauth.db"), "claude-sonnet-4-5"));
        var environment = new Dictionary<string, string?> { ["GW_AKID"] = ServedGateway.KeyId, ["GW_SECRET"] = ServedGateway.Secret, ["NO_COLOR"] = "1", ["DOTNET_NOLOGO"] = "1" };
        await using var gateway = await ServedGateway.StartAsync(config, environment);

        using var home = new TempDirectory("claude-home");
        home.Write(Path.Combine(".claude", "settings.json"), $$"""{"forceLoginMethod":"gateway","forceLoginGatewayUrl":"{{baseUrl}}"}""");
        var claude = ClaudeCode.Environment(home.Path);
        claude["NODE_EXTRA_CA_CERTS"] = certFile;

        // 1. Sign-in: Claude Code's questions, answered as a person would; alice signs in at the IdP in the browser.
        var login = await SignInAsAliceAsync(claude, home.Path, certFile);
        var trace = $"{login}\n--- gateway ---\n{gateway.Stderr}\n{string.Join('\n', gateway.Seen)}";
        Assert.True(login.ExitCode == 0, trace);
        Assert.Equal(baseUrl, (string?)login.Question("url_input")?["shown"]);
        Assert.Equal(Convert.ToHexStringLower(certificate.GetCertHash(HashAlgorithmName.SHA256)), (string?)login.Question("trust_prompt")?["shown"]);
        Assert.StartsWith(baseUrl + "/oauth/device?user_code=", (string?)login.Question("polling")?["browserUrl"], StringComparison.Ordinal);
        Assert.Equal(AliceEmail, (string?)login.Question("confirm_account")?["shown"]);
        Assert.Equal("done", (string?)login.Questions[^1]["state"]);

        // Claude Code keeps the gateway credential in its 0600 credentials file: the token, the refresh token, the pin.
        var credentialsFile = home.Combine(".claude", ".credentials.json");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(credentialsFile));
        var stored = JsonNode.Parse(await File.ReadAllTextAsync(credentialsFile))!;
        Assert.Equal(baseUrl, (string?)stored["enterpriseGateway"]?["url"]);
        Assert.StartsWith("bgr_", (string?)stored["enterpriseGateway"]?["idpRefreshToken"], StringComparison.Ordinal);
        var bearer = (string)stored["enterpriseGateway"]!["jwt"]!;

        // 2. A prompt: the settings are fetched (200) before the first model request, and their model is the one asked for.
        var first = await PromptAsync("hello through the gateway", claude, home.Path, gateway);
        Assert.Contains("hello through the gateway", first, StringComparison.Ordinal);
        await WaitForLogAsync(gateway, "GET /managed/settings status=200", 1);
        await WaitForLogAsync(gateway, "user=alice", 1, "model=claude-sonnet-4-5 ");
        Assert.Contains(emulator.RequestLog.Snapshot(), r => r.ModelId == Sonnet && r.Succeeded);

        // 3. The next run holds the settings and sends their checksum as If-None-Match: unchanged means 304.
        var etagBefore = await ServedEtagAsync(baseUrl, certificate, bearer);
        await PromptAsync("second prompt", claude, home.Path, gateway);
        await WaitForLogAsync(gateway, "GET /managed/settings status=304", 1);
        await WaitForLogAsync(gateway, "user=alice", 2, "model=claude-sonnet-4-5 ");

        // Nothing asked for haiku yet: the model after the reload can only come from the reloaded settings.
        Assert.DoesNotContain(emulator.RequestLog.Snapshot(), r => r.ModelId == ServedGateway.Haiku);

        // 4. SIGHUP with changed settings: a new ETag, a 200 for the client, and the new model on its next request.
        await File.WriteAllTextAsync(config, Config(baseUrl, certFile, keyFile, emulator.BaseAddress, idp.Issuer, dir.Combine("oauth.db"), "claude-haiku-4-5"));
        gateway.Signal(ServedGateway.Sighup);
        gateway.WaitFor("configuration reloaded");
        var etagAfter = await ServedEtagAsync(baseUrl, certificate, bearer);
        Assert.NotEqual(etagBefore, etagAfter);
        await PromptAsync("after the reload", claude, home.Path, gateway);
        await WaitForLogAsync(gateway, "GET /managed/settings status=200", 2);
        await WaitForLogAsync(gateway, "user=alice", 1, "model=claude-haiku-4-5 ");
        Assert.Contains(emulator.RequestLog.Snapshot(), r => r.ModelId == ServedGateway.Haiku && r.Succeeded);
        Assert.DoesNotContain(bearer, gateway.Stderr + string.Join('\n', gateway.Seen), StringComparison.Ordinal);
    }

    /// <summary>
    /// Issue 9's chain, deploy → Claude Code: <c>basalt deploy generate</c> on a deployment file whose group signs in
    /// to Basalt's gateway itself (<c>gatewaySignIn: true</c>) writes the gateway's file and the group's Claude Code
    /// settings; <c>basalt gateway serve</c> runs the generated file; Claude Code started with the generated settings
    /// file signs in by the gateway's device grant (the browser step at the IdP done by browser.mjs), fetches
    /// <c>/managed/settings</c> and answers through the gateway as alice. The generated file goes to the user
    /// settings path unchanged: Claude Code reads managed settings only from /etc/claude-code (machine-wide, not a
    /// test's to write), and neither <c>--settings</c> nor an environment variable makes it start a gateway sign-in.
    /// </summary>
    [Fact]
    public async Task Claude_Code_with_the_settings_deploy_generate_wrote_signs_in_to_the_generated_gateway_and_fetches_its_managed_settings()
    {
        using var dir = new TempDirectory("cc-deploy-chain");
        await using var emulator = await ServedGateway.StartEmulatorAsync();
        using var certificate = LoopbackTls.Certificate(dir, out var certFile, out var keyFile);
        var baseUrl = $"https://127.0.0.1:{LoopbackTls.FreePort()}";
        await using var idp = await TestIdp.StartAsync("--gateway-redirect", baseUrl + "/oauth/callback");
        var environment = new Dictionary<string, string?> { ["GW_AKID"] = ServedGateway.KeyId, ["GW_SECRET"] = ServedGateway.Secret, ["NO_COLOR"] = "1", ["DOTNET_NOLOGO"] = "1" };
        var deployment = dir.Write("basalt.yaml", Deployment(baseUrl, certFile, keyFile, emulator.BaseAddress, idp.Issuer, dir.Combine("oauth.db")));

        var generate = await CliRunner.RunAsync(["deploy", "generate", deployment, "-o", dir.Combine("out")], environment: environment, workingDirectory: dir.Path);
        Assert.True(generate.ExitCode == 0, generate.ToString());
        var generated = await File.ReadAllTextAsync(dir.Combine("out", "engineering", "linux", "claude-code", "managed-settings.json"));
        Assert.Equal(baseUrl, (string?)JsonNode.Parse(generated)!["forceLoginGatewayUrl"]);
        await using var gateway = await ServedGateway.StartAsync(dir.Combine("out", "gateway", "gateway.yaml"), environment, workingDirectory: dir.Path);

        using var home = new TempDirectory("claude-home");
        home.Write(Path.Combine(".claude", "settings.json"), generated);
        var claude = ClaudeCode.Environment(home.Path);
        claude["NODE_EXTRA_CA_CERTS"] = certFile;

        var login = await SignInAsAliceAsync(claude, home.Path, certFile);
        var trace = $"{login}\n--- settings ---\n{generated}\n--- gateway ---\n{gateway.Stderr}\n{string.Join('\n', gateway.Seen)}";
        Assert.True(login.ExitCode == 0, trace);
        Assert.Equal(baseUrl, (string?)login.Question("url_input")?["shown"]);
        Assert.StartsWith(baseUrl + "/oauth/device?user_code=", (string?)login.Question("polling")?["browserUrl"], StringComparison.Ordinal);
        Assert.Equal(AliceEmail, (string?)login.Question("confirm_account")?["shown"]);

        var answer = await PromptAsync("hello from the generated settings", claude, home.Path, gateway);
        Assert.Contains("hello from the generated settings", answer, StringComparison.Ordinal);
        await WaitForLogAsync(gateway, "GET /managed/settings status=200", 1);
        await WaitForLogAsync(gateway, "user=alice", 1, "status=200");
        Assert.Contains(emulator.RequestLog.Snapshot(), r => r.Succeeded);
    }

    /// <summary>Runs <c>claude -p</c>; returns its result text (the emulator echoes the prompt).</summary>
    private static async Task<string> PromptAsync(string prompt, IReadOnlyDictionary<string, string?> environment, string home, ServedGateway gateway)
    {
        var result = await ClaudeCode.PrintAsync(prompt, environment, home);
        var trace = $"{result}\n--- gateway ---\n{gateway.Stderr}\n{string.Join('\n', gateway.Seen)}";
        Assert.True(result.ExitCode == 0, trace);
        var output = JsonNode.Parse(result.Stdout.Trim().Split('\n')[^1])!;
        Assert.False((bool?)output["is_error"] ?? false, trace);
        return (string?)output["result"] ?? string.Empty;
    }

    /// <summary>The ETag the gateway serves alice now (the bearer Claude Code stored; the gateway's pinned certificate).</summary>
    private static async Task<string> ServedEtagAsync(string baseUrl, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate, string bearer)
    {
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && cert.GetCertHashString() == certificate.GetCertHashString() },
        };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(baseUrl) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        using var response = await http.GetAsync("/managed/settings");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(response.Headers.ETag!.Tag, $"\"{(string?)body["checksum"]}\"");
        return response.Headers.ETag.Tag;
    }

    /// <summary>Waits until the gateway's log holds at least <paramref name="count"/> lines with both markers.</summary>
    private static async Task WaitForLogAsync(ServedGateway gateway, string marker, int count, string? also = null)
    {
        for (var i = 0; i < 50; i++)
        {
            var lines = gateway.Seen.Concat(gateway.Stderr.Split('\n'));
            if (lines.Count(l => l.Contains(marker, StringComparison.Ordinal) && (also is null || l.Contains(also, StringComparison.Ordinal))) >= count)
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"the gateway log has fewer than {count} line(s) with '{marker}'{(also is null ? string.Empty : $" and '{also}'")}:\n{gateway.Stderr}\n{string.Join('\n', gateway.Seen)}");
    }

    /// <summary>Claude Code's device-grant sign-in to the gateway, the browser stand-in signing alice in at the IdP.</summary>
    private static Task<GatewayJsonLogin.Result> SignInAsAliceAsync(IReadOnlyDictionary<string, string?> claude, string home, string certFile)
        => GatewayJsonLogin.RunAsync(claude, home, async url =>
        {
            var browser = new Dictionary<string, string?> { ["NODE_EXTRA_CA_CERTS"] = certFile };
            var browsed = await ExternalTools.RunNodeAsync(Path.Combine("oidc", "browser.mjs"), ["--login", "alice", url], browser, timeout: TimeSpan.FromSeconds(60));
            Assert.True(browsed.ExitCode == 0 && browsed.Stdout.Contains("done Signed in", StringComparison.Ordinal), browsed.ToString());
        }, TimeSpan.FromMinutes(2));

    /// <summary>One group signing in to Basalt's gateway itself, the gateway signing people in at the IdP.</summary>
    private static string Deployment(string baseUrl, string certFile, string keyFile, Uri emulator, string idp, string store) => $$"""
        version: 1
        name: chain
        provider: gateway
        platforms: [linux]
        aws: { region: us-east-1 }
        auth:
          approach: gateway
          gateway:
            basalt: true
            baseUrl: {{baseUrl}}
            gatewaySignIn: true
        models:
          haiku: { id: claude-haiku-4-5 }
          sonnet: { id: claude-sonnet-4-5 }
        claudeCode:
          gatewayMode: anthropic
        groups:
          engineering: {}
        gateway:
          listen: [ { url: "{{baseUrl}}", certificate: "{{certFile}}", key: "{{keyFile}}" } ]
          upstreams:
            east:
              region: us-east-1
              endpoint: {{emulator.ToString().TrimEnd('/')}}
              credentials: { source: static, accessKeyId: "${env:GW_AKID}", secretAccessKey: "${env:GW_SECRET}" }
          models:
            claude-haiku-4-5: { routes: [ { upstream: east, model: "{{ServedGateway.Haiku}}" } ] }
            claude-sonnet-4-5: { routes: [ { upstream: east, model: "{{Sonnet}}" } ] }
          identity:
            oidc:
              - { issuer: "{{idp}}", audiences: [basalt-gateway], clientId: basalt-gateway }
            oauth:
              signIn: { issuer: "{{idp}}", clientId: basalt-gateway, scopes: [openid, profile, email, groups] }
              pollInterval: 1s
              sqlite: "{{store}}"
          usage: { enabled: false }
        """;

    private static string Config(string baseUrl, string certFile, string keyFile, Uri emulator, string idp, string store, string model) => $$"""
        gateway:
          listen: [ { url: "{{baseUrl}}", certificate: "{{certFile}}", key: "{{keyFile}}" } ]
          upstreams:
            east:
              region: us-east-1
              endpoint: {{emulator.ToString().TrimEnd('/')}}
              credentials: { source: static, accessKeyId: "${env:GW_AKID}", secretAccessKey: "${env:GW_SECRET}" }
          models:
            claude-haiku-4-5:
              routes:
                - { upstream: east, model: "{{ServedGateway.Haiku}}" }
            claude-sonnet-4-5:
              routes:
                - { upstream: east, model: "{{Sonnet}}" }
          groups:
            engineering: { models: ["*"], managedSettings: { "model": "{{model}}", "permissions": { "deny": ["WebFetch"] } } }
            limited: { models: ["claude-haiku-4-5"] }
          identity:
            oidc:
              - { issuer: "{{idp}}", audiences: [basalt-gateway], clientId: basalt-gateway }
            oauth:
              signIn: { issuer: "{{idp}}", clientId: basalt-gateway, scopes: [openid, profile, email, groups] }
              pollInterval: 1s
              sqlite: "{{store}}"
          usage: { enabled: false }
        """;
}
