using Basalt.Emulator;
using Basalt.Testing;

namespace Basalt.Cli.Tests.Gateway;

/// <summary>
/// <c>basalt gateway check</c> as a real process (issue 8 item 8): a good configuration exits 0 with one probe line per
/// upstream (credentials used against the emulated Bedrock); a bad one prints <c>file:line:column: error CODE</c>
/// and exits 1 without probing anything.
/// </summary>
public sealed class GatewayCheckCommandTests
{
    private const string KeyId = "AKIAGWCHECK77EXAMPLE";
    private const string Secret = "gatewayCheckSecretKey0123456789abcdefABCD";

    [Fact]
    public async Task A_good_configuration_exits_0_and_prints_the_probe_of_each_upstream()
    {
        await using var emulator = await StartEmulatorAsync();
        using var dir = new TempDirectory("cli-gateway-check");
        var config = dir.Write("gateway.yaml", Config(emulator.BaseAddress.ToString().TrimEnd('/')));

        var result = await CliRunner.RunAsync(["gateway", "check", "--config", config], environment: Environment());

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("configuration is valid (1 models, 1 upstreams, 1 API keys)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("upstream east: ok - Bedrock answered in us-east-1", result.Stdout, StringComparison.Ordinal);
        Assert.Contains(emulator.RequestLog.Snapshot(), e => e.PrincipalArn == "arn:aws:iam::111122223333:user/gateway");
        Assert.DoesNotContain(Secret, result.Stdout + result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_configuration_prints_file_line_column_diagnostics_and_exits_1()
    {
        using var dir = new TempDirectory("cli-gateway-check-bad");
        var text = Config("http://127.0.0.1:9").Replace("upstream: east", "upstream: west", StringComparison.Ordinal);
        var config = dir.Write("gateway.yaml", text);
        var line = text.Split('\n').ToList().FindIndex(l => l.Contains("upstream: west", StringComparison.Ordinal)) + 1;

        var result = await CliRunner.RunAsync(["gateway", "check", "--config", config], environment: Environment());

        Assert.Equal(1, result.ExitCode);
        Assert.Matches($@"gateway\.yaml:{line}:\d+: error BSL\d+", result.Stderr);
        Assert.Contains("west", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("upstream east", result.Stdout, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Environment() => new() { ["GW_AKID"] = KeyId, ["GW_SECRET"] = Secret, ["ALICE_KEY"] = "bsk_alice_check_0123456789" };

    private static string Config(string endpoint) => $$"""
        gateway:
          upstreams:
            east:
              region: us-east-1
              endpoint: {{endpoint}}
              credentials: { source: static, accessKeyId: "${env:GW_AKID}", secretAccessKey: "${env:GW_SECRET}" }
          models:
            claude-haiku-4-5:
              routes:
                - { upstream: east, model: "us.anthropic.claude-haiku-4-5-20251001-v1:0" }
          groups:
            engineering: { models: ["*"] }
          apiKeys:
            - { id: alice-laptop, user: alice, groups: [engineering], key: "${env:ALICE_KEY}" }
        """;

    private static async Task<EmulatorServer> StartEmulatorAsync()
    {
        var yaml = $$"""
            region: us-east-1
            accounts:
              - { id: "111122223333", name: Gateway check }
            users:
              - name: gateway
                account: "111122223333"
                accessKeys: [ { accessKeyId: {{KeyId}}, secretAccessKey: {{Secret}} } ]
            """;
        var options = EmulatorOptions.Parse(yaml, "emulator.yaml");
        Assert.False(options.HasErrors, string.Join('\n', options.Diagnostics));
        return await EmulatorServer.StartAsync(options);
    }
}
