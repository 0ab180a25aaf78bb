using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Basalt.Testing;

namespace Basalt.Cli.Tests.Gateway;

/// <summary>
/// <c>basalt gateway doctor</c> (issue 11 item 3) as a real process against a real <c>basalt gateway serve</c> and the
/// emulator: health, readiness, store, clock, models, discovery, one request per model, and the Claude Code and
/// Claude Desktop settings <c>deploy generate</c> writes for each group of a deployment file; TLS chain, expiry and
/// hostname against an https listener. Exit 1 when any check fails; never a key in the output.
/// </summary>
public sealed class GatewayDoctorCommandTests
{
    private static string Deployment(Uri gateway) => $$"""
        version: 1
        name: doctor-check
        organization:
          name: Example Org
          identifier: com.example.claude
          uuid: 7e6d5c4b-3a29-4817-9605-f4e3d2c1b0a9
        provider: gateway
        auth:
          approach: gateway
          gateway:
            baseUrl: {{gateway.ToString().TrimEnd('/')}}
            apiKey: ${env:ALICE_KEY}
            authScheme: bearer
        models:
          haiku:
            id: claude-haiku-4-5
            label: Claude Haiku 4.5
        claudeCode:
          gatewayMode: anthropic
        groups:
          engineering:
            models: [haiku]
          contractors:
            models: [haiku]
            auth:
              approach: gateway
              gateway:
                baseUrl: {{gateway.ToString().TrimEnd('/')}}
                apiKey: ${env:STALE_KEY}
                authScheme: x-api-key
            aws:
              region: us-east-1
            claudeCode:
              gatewayMode: bedrock
          signin:
            models: [haiku]
            auth:
              approach: gateway
              gateway:
                baseUrl: {{gateway.ToString().TrimEnd('/')}}
                gatewaySignIn: true
        """;

    /// <summary>A self-signed certificate for 127.0.0.1 (PEM files in <paramref name="dir"/>) and the gateway configuration listening with it.</summary>
    private static (string Config, string CertFile) Https(TempDirectory dir, Basalt.Emulator.EmulatorServer emulator)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(90));
        var certFile = dir.Write("server.crt", certificate.ExportCertificatePem());
        var keyFile = dir.Write("server.key", key.ExportPkcs8PrivateKeyPem());
        var text = ServedGateway.Config(emulator).Replace("listen: [ \"http://127.0.0.1:0\" ]", $"listen: [ {{ url: \"https://127.0.0.1:0\", certificate: \"{certFile}\", key: \"{keyFile}\" }} ]", StringComparison.Ordinal);
        return (dir.Write("gateway.yaml", text), certFile);
    }

    private static void Has(string report, string pattern) => Assert.True(System.Text.RegularExpressions.Regex.IsMatch(report, pattern), $"no match for {pattern} in:\n{report}");

    [Fact]
    public async Task Doctor_checks_a_running_gateway_end_to_end_and_fails_for_the_group_whose_generated_settings_do_not_authenticate()
    {
        await using var emulator = await ServedGateway.StartEmulatorAsync();
        using var dir = new TempDirectory("cli-gateway-doctor");
        var alice = "bsk_alice_doctor_0123456789abcdef";
        var stale = "bsk_stale_doctor_0123456789abcdef";
        // Deployment files require https gateway URLs, so this gateway listens with TLS (a private CA: --ca).
        var (config, certFile) = Https(dir, emulator);
        await using var gateway = await ServedGateway.StartAsync(config, ServedGateway.Environment(alice));
        var keyFile = dir.Write("alice.key", alice);
        var deployment = dir.Write("basalt.yaml", Deployment(gateway.BaseAddress));

        var result = await CliRunner.RunAsync(
            ["gateway", "doctor", "--url", gateway.BaseAddress + "v1", "--key-file", keyFile, "--deployment", deployment, "--ca", certFile],
            environment: new Dictionary<string, string?> { ["ALICE_KEY"] = alice, ["STALE_KEY"] = stale });

        var report = result.Stdout;
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("Gateway Doctor Report (basalt)", report, StringComparison.Ordinal);
        Has(report, @"\n  ok +tls +chain trusted, hostname matches");
        Has(report, @"\n  ok +healthz +200 in \d+ ms");
        Has(report, @"\n  ok +readyz +200 ready; upstreams: east closed");
        Has(report, @"\n  ok +store +sqlite reachable");
        Has(report, @"\n  ok +clock +server Date is \d+\.\d s");
        Has(report, @"\n  ok +models +/v1/models lists 1: claude-haiku-4-5");
        Has(report, @"\n  ok +discovery +/inference-profiles lists \d+ profile");
        Has(report, @"\n  ok +model claude-haiku-4-5 +test request answered 200 in \d+ ms via upstream east");
        // The engineering group's generated files carry alice's key: Claude Code (Anthropic mode) and Claude Desktop.
        Has(report, @"\n  ok +settings [^\n]*engineering[^\n]*/claude-code/managed-settings\.json +Claude Code, Anthropic mode: its bearer credential is accepted");
        Has(report, @"\n  ok +settings [^\n]*engineering[^\n]* +Claude Desktop: its bearer credential is accepted");
        // The contractors' files carry a key the gateway does not know: both clients fail, each named.
        Has(report, @"\n  FAIL +settings [^\n]*contractors[^\n]*/claude-code/managed-settings\.json +Claude Code, Bedrock mode: [^\n]*answered 403");
        Has(report, @"\n  FAIL +settings [^\n]*contractors[^\n]* +Claude Desktop: [^\n]*answered 401");
        // The signin group signs in to the gateway itself, which is no authorization server here: named, with the fix.
        Has(report, @"\n  FAIL +settings [^\n]*signin[^\n]* +Claude Desktop \(signs in to the gateway\): [^\n]*oauth-authorization-server answered 404");
        Has(report, @"Diagnostics: [1-9]\d* error\(s\)");
        Assert.Contains("error BSL8110 [settings ", report, StringComparison.Ordinal);
        Assert.DoesNotContain(alice, result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(stale, result.Stdout + result.Stderr, StringComparison.Ordinal);
        // One real request per model reached Bedrock (the emulator) through the gateway.
        Assert.Contains(emulator.RequestLog.Snapshot(), e => e.Operation == "InvokeModel" && e.ModelId == ServedGateway.Haiku);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_group_that_signs_in_to_the_gateway_passes_when_the_gateway_advertises_the_device_grant(bool identityCenter)
    {
        await using var emulator = await ServedGateway.StartEmulatorAsync();
        using var dir = new TempDirectory("cli-gateway-doctor-as");
        var alice = "bsk_alice_doctor_0123456789abcdef";
        var (config, certFile) = Https(dir, emulator);
        // The gateway as authorization server; the IdP (or IAM Identity Center) it sends people to is only contacted at sign-in.
        File.AppendAllText(config, identityCenter
            ? $$"""

                  identity:
                    aws: { stsEndpoint: "http://127.0.0.1:9", region: us-east-1, permissionSets: { BedrockInference: engineering } }
                    oauth:
                      signIn: { identityCenter: { startUrl: "https://d-1234567890.awsapps.com/start", region: us-east-1, oidcEndpoint: "http://127.0.0.1:9" } }
                      sqlite: "{{dir.Combine("oauth.db")}}"

                """
            : $$"""

                  identity:
                    oidc:
                      - { issuer: "http://127.0.0.1:9/idp", audiences: [basalt-gateway], clientId: basalt-gateway }
                    oauth:
                      signIn: { issuer: "http://127.0.0.1:9/idp", clientId: basalt-gateway }
                      sqlite: "{{dir.Combine("oauth.db")}}"

                """);
        await using var gateway = await ServedGateway.StartAsync(config, ServedGateway.Environment(alice));
        var deployment = dir.Write("basalt.yaml", Deployment(gateway.BaseAddress));

        var result = await CliRunner.RunAsync(
            ["gateway", "doctor", "--url", gateway.BaseAddress.ToString(), "--deployment", deployment, "--ca", certFile],
            environment: new Dictionary<string, string?> { ["ALICE_KEY"] = alice, ["STALE_KEY"] = "bsk_stale_doctor_0123456789abcdef" });

        Has(result.Stdout, @"\n  ok +settings [^\n]*signin[^\n]* +Claude Desktop \(signs in to the gateway\): /.well-known/oauth-authorization-server advertises the device grant \(https://127\.0\.0\.1:\d+/oauth/device_authorization\)"
            + (identityCenter ? @"; people sign in through IAM Identity Center \(https://d-1234567890\.awsapps\.com/start\)" : @"(?! ?; people)"));
    }

    [Fact]
    public async Task Doctor_checks_the_tls_chain_against_a_given_ca_and_fails_an_untrusted_one()
    {
        await using var emulator = await ServedGateway.StartEmulatorAsync();
        using var dir = new TempDirectory("cli-gateway-doctor-tls");
        var alice = "bsk_alice_doctor_tls_0123456789ab";
        var (config, certFile) = Https(dir, emulator);
        await using var gateway = await ServedGateway.StartAsync(config, ServedGateway.Environment(alice));
        Assert.Equal("https", gateway.BaseAddress.Scheme);

        var trusted = await CliRunner.RunAsync(["gateway", "doctor", "--url", gateway.BaseAddress.ToString(), "--ca", certFile], environment: new Dictionary<string, string?> { ["BASALT_GATEWAY_KEY"] = alice });
        var untrusted = await CliRunner.RunAsync(["gateway", "doctor", "--url", gateway.BaseAddress.ToString()]);

        Assert.True(trusted.ExitCode == 0, trusted.ToString());
        Has(trusted.Stdout, @"\n  ok +tls +chain trusted, hostname matches: CN=127\.0\.0\.1, issued by CN=127\.0\.0\.1, valid until \S+ \S+ \((89|90) days left\)");
        Has(trusted.Stdout, @"\n  ok +model claude-haiku-4-5 +test request answered 200");
        Assert.Equal(1, untrusted.ExitCode);
        Has(untrusted.Stdout, @"\n  FAIL +tls +the certificate chain is not trusted");
        Assert.Contains("--ca FILE", untrusted.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_only_is_silent_when_healthy_and_exits_1_with_the_reason_when_nothing_answers()
    {
        await using var emulator = await ServedGateway.StartEmulatorAsync();
        using var dir = new TempDirectory("cli-gateway-doctor-health");
        var config = dir.Write("gateway.yaml", ServedGateway.Config(emulator));
        await using var gateway = await ServedGateway.StartAsync(config, ServedGateway.Environment("bsk_alice_health_0123456789abcde"));

        var healthy = await CliRunner.RunAsync(["gateway", "doctor", "--url", gateway.BaseAddress.ToString(), "--health-only"]);
        gateway.Signal(ServedGateway.Sigterm);
        await gateway.WaitForExitAsync(TimeSpan.FromSeconds(30));
        var down = await CliRunner.RunAsync(["gateway", "doctor", "--url", gateway.BaseAddress.ToString(), "--health-only"]);

        Assert.True(healthy.ExitCode == 0, healthy.ToString());
        Assert.Equal(string.Empty, healthy.Stdout + healthy.Stderr);
        Assert.Equal(1, down.ExitCode);
        Assert.Contains("FAIL    healthz", down.Stderr, StringComparison.Ordinal);
    }
}
