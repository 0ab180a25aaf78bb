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

    /// <summary>
    /// <c>nohup</c> (or a supervisor) hands the gateway SIGHUP and SIGTERM as ignored (execve keeps <c>SIG_IGN</c>);
    /// the operator's <c>kill -HUP</c> must still reload it and <c>kill -TERM</c> still drain and stop it.
    /// </summary>
    [Fact]
    public async Task Sighup_reloads_and_sigterm_stops_a_gateway_that_inherited_both_signals_ignored()
    {
        using var dir = new TempDirectory("cli-gateway-reload-nohup");
        var config = dir.Write("gateway.yaml", Config("mask"));
        var env = ExternalTools.Require("env", "apt-get install -y coreutils");
        await using var process = ServerProcess.Start(env, ["--ignore-signal=HUP,TERM", "dotnet", CliRunner.BasaltDll, "gateway", "serve", "--config", config]);
        process.WaitForLine("Basalt gateway listening on");
        Assert.Equal(0UL, IgnoredSignals(process.Id) & ((1UL << 0) | (1UL << 14)));

        dir.Write("gateway.yaml", Config("block"));
        process.Signal(ServerProcess.Sighup);
        Assert.Contains("policies reloaded: legal changed", process.WaitForLine("reloaded"), StringComparison.Ordinal);

        var exit = await process.StopAsync(ServerProcess.Sigterm, TimeSpan.FromSeconds(30));
        Assert.True(exit == 0, $"exit {exit}\n{process.Stdout}\n{process.Stderr}");
        Assert.Contains("Gateway stopped.", process.Stdout, StringComparison.Ordinal);
    }

    /// <summary>The process's ignored-signal mask from /proc (bit n-1 for signal n: SIGHUP bit 0, SIGTERM bit 14).</summary>
    private static ulong IgnoredSignals(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        return Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16);
    }
}
