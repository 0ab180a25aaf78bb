using Basalt.Testing;

namespace Basalt.Cli.Tests.Gateway;

/// <summary>
/// A real <c>basalt gateway serve</c> process re-reads its configuration on SIGHUP and swaps in changed group
/// policies (issue 12 item 5, switchable without restart); a configuration with errors leaves them in place.
/// </summary>
public sealed class GatewayReloadTests
{
    private static string Config(string action) => $$"""
        gateway:
          listen: [ "http://127.0.0.1:0" ]
          upstreams:
            east: { region: us-east-1, credentials: { source: profile, profile: gateway } }
          models:
            claude-haiku-4-5: { aliases: [haiku], routes: [ { upstream: east, model: us.anthropic.claude-haiku-4-5-20251001-v1:0 } ] }
          groups:
            legal:
              models: ["*"]
              policy: { pii: { paymentCard: {{action}} } }
        """;

    [Fact]
    public async Task Sighup_reloads_changed_policies_and_keeps_them_when_the_file_has_errors()
    {
        using var dir = new TempDirectory("cli-gateway-reload");
        var config = dir.Write("gateway.yaml", Config("mask"));
        await using var process = ServerProcess.StartBasalt(["gateway", "serve", "--config", config]);
        try
        {
            process.WaitForLine("Basalt gateway listening on");
            dir.Write("gateway.yaml", Config("block"));
            process.Signal(ServerProcess.Sighup);
            Assert.Contains("policies reloaded: legal changed", process.WaitForLine("reloaded"), StringComparison.Ordinal);

            dir.Write("gateway.yaml", Config("shred"));
            process.Signal(ServerProcess.Sighup);
            Assert.Contains("not reloaded", process.WaitForLine("reloaded"), StringComparison.Ordinal);
            Assert.False(process.HasExited);
        }
        finally
        {
            await process.StopAsync();
        }
    }
}
