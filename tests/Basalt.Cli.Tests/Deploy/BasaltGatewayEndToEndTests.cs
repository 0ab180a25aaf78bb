using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Basalt.Emulator;
using Basalt.Testing;

namespace Basalt.Cli.Tests.Deploy;

/// <summary>
/// One deployment file, end to end with real processes (issue 8 item 9): <c>basalt deploy generate</c> writes the
/// gateway's own file and the devices' Claude Code settings; <c>basalt gateway serve</c> runs that file (https, in front
/// of the emulator); Claude Code 2.1.332 (npm) started with nothing but a group's generated settings file
/// (<c>--settings</c>) answers through it in Anthropic mode and in Bedrock mode; and the gateway serves the
/// group's settings at <c>/managed/settings</c> to the group's key.
/// </summary>
public sealed class BasaltGatewayEndToEndTests
{
    [Fact]
    public async Task Claude_code_with_only_the_generated_settings_answers_through_the_generated_gateway_in_both_modes()
    {
        using var dir = new TempDirectory("basalt-gateway-e2e");
        var keyId = "AKIA" + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 9) + "EXAMPLE";
        var secret = RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 40);
        var emulatorOptions = EmulatorOptions.Parse(GatewayEmulatorYaml.Build(keyId, secret, null, null), "emulator.yaml");
        Assert.False(emulatorOptions.HasErrors, string.Join('\n', emulatorOptions.Diagnostics));
        await using var emulator = await EmulatorServer.StartAsync(emulatorOptions);

        using var certificate = LoopbackTls.Certificate(dir, out var certFile, out var keyFile);
        var port = LoopbackTls.FreePort();
        var baseUrl = $"https://127.0.0.1:{port}";
        var gatewayKey = "bsk_e2e_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["GW_AKID"] = keyId,
            ["GW_SECRET"] = secret,
            ["GATEWAY_API_KEY"] = gatewayKey,
        };
        var deployment = dir.Write("basalt.yaml", Deployment(baseUrl, emulator.BaseAddress.ToString().TrimEnd('/'), certFile, keyFile));

        var generate = await CliRunner.RunAsync(["deploy", "generate", deployment, "-o", dir.Combine("out")], environment: environment.ToDictionary(e => e.Key, e => (string?)e.Value), workingDirectory: dir.Path);
        Assert.True(generate.ExitCode == 0, generate.ToString());
        var gatewayFile = dir.Combine("out", "gateway", "gateway.yaml");
        Assert.DoesNotContain(gatewayKey, await File.ReadAllTextAsync(gatewayFile), StringComparison.Ordinal);

        await using var gateway = ServerProcess.StartBasalt(["gateway", "serve", "--config", gatewayFile], environment, dir.Path);
        gateway.WaitForLine("Basalt gateway listening on");
        try
        {
            foreach (var group in new[] { "anthropic", "bedrock" })
            {
                using var home = new TempDirectory("claude-home");
                var claude = ClaudeCode.Environment(home.Path);
                claude["NODE_EXTRA_CA_CERTS"] = certFile;
                var settings = dir.Combine("out", group, "linux", "claude-code", "managed-settings.json");
                var result = await ProcessRunner.RunAsync(ClaudeCode.Binary(), ["--settings", settings, "-p", "hello there", "--output-format", "json"],
                    environment: claude, workingDirectory: home.Path, timeout: TimeSpan.FromMinutes(3));

                var trace = $"{group}\n{result}\n--- settings ---\n{await File.ReadAllTextAsync(settings)}\n--- gateway ---\n{gateway.Stdout}\n{gateway.Stderr}";
                Assert.True(result.ExitCode == 0, trace);
                var output = JsonNode.Parse(result.Stdout.Trim().Split('\n')[^1])!;
                Assert.False((bool?)output["is_error"] ?? false, trace);
                Assert.Contains("hello there", (string?)output["result"] ?? string.Empty, StringComparison.Ordinal);
            }

            // The gateway serves the Bedrock-mode group's settings to the key of that group, without the key in them.
            using var handler = new SocketsHttpHandler
            {
                SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && cert.GetCertHashString() == certificate.GetCertHashString() },
            };
            using var http = new HttpClient(handler) { BaseAddress = new Uri(baseUrl) };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", gatewayKey);
            using var served = await http.GetAsync("/managed/settings");
            var body = await served.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            Assert.NotNull(served.Headers.ETag);
            Assert.Equal(baseUrl, (string?)JsonNode.Parse(body)!["settings"]!["env"]!["ANTHROPIC_BASE_URL"]);
            Assert.DoesNotContain(gatewayKey, body, StringComparison.Ordinal);
        }
        finally
        {
            Assert.Equal(0, await gateway.StopAsync());
        }
    }

    /// <summary>Two groups on Basalt's gateway with one key: Claude Code in Anthropic mode and in Bedrock mode.</summary>
    private static string Deployment(string baseUrl, string emulator, string certFile, string keyFile) => $$"""
        version: 1
        name: e2e
        provider: gateway
        platforms: [linux]
        aws: { region: us-east-1 }
        auth:
          approach: gateway
          gateway:
            basalt: true
            baseUrl: {{baseUrl}}
            apiKey: ${env:GATEWAY_API_KEY}
        models:
          haiku: { id: claude-haiku-4-5 }
          sonnet: { id: claude-sonnet-4-5 }
          opus: { id: claude-opus-5-5 }
        groups:
          anthropic:
            claudeCode: { gatewayMode: anthropic }
          bedrock:
            claudeCode: { gatewayMode: bedrock }
        gateway:
          listen: [ { url: "{{baseUrl}}", certificate: "{{certFile}}", key: "{{keyFile}}" } ]
          upstreams:
            emulator:
              region: us-east-1
              endpoint: {{emulator}}
              credentials: { source: static, accessKeyId: "${env:GW_AKID}", secretAccessKey: "${env:GW_SECRET}" }
          models:
            claude-haiku-4-5: { routes: [ { upstream: emulator, model: "us.anthropic.claude-haiku-4-5-20251001-v1:0" } ] }
            claude-sonnet-4-5: { routes: [ { upstream: emulator, model: "us.anthropic.claude-sonnet-4-5-20250929-v1:0" } ] }
            claude-opus-5-5: { routes: [ { upstream: emulator, model: "us.anthropic.claude-opus-5-5" } ] }
          apiKeys:
            - { id: laptop, user: alice, groups: [anthropic, bedrock], key: "${env:GATEWAY_API_KEY}" }
          usage: { enabled: false }
        """;
}
