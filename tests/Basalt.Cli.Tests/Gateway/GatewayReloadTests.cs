using System.Diagnostics;
using Basalt.Testing;

namespace Basalt.Cli.Tests.Gateway;

/// <summary>
/// A real <c>basalt gateway serve</c> process re-reads its configuration on SIGHUP and swaps in changed group
/// policies (issue 12 item 5, switchable without restart); a configuration with errors leaves them in place.
/// </summary>
public sealed class GatewayReloadTests
{
    private const int Sighup = 1;

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code in the test project for one call.
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
#pragma warning restore SYSLIB1054

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
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { CliRunner.BasaltDll, "gateway", "serve", "--config", config })
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(info)!;
        var lines = new System.Collections.Concurrent.BlockingCollection<string>();
        _ = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                lines.Add(line);
            }

            lines.CompleteAdding();
        });

        string WaitFor(string marker)
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            foreach (var line in lines.GetConsumingEnumerable(deadline.Token))
            {
                if (line.Contains(marker, StringComparison.Ordinal))
                {
                    return line;
                }
            }

            throw new InvalidOperationException($"the gateway exited before printing '{marker}': {process.StandardError.ReadToEnd()}");
        }

        try
        {
            WaitFor("Basalt gateway listening on");
            dir.Write("gateway.yaml", Config("block"));
            Assert.Equal(0, Kill(process.Id, Sighup));
            Assert.Contains("policies reloaded: legal changed", WaitFor("reloaded"), StringComparison.Ordinal);

            dir.Write("gateway.yaml", Config("shred"));
            Assert.Equal(0, Kill(process.Id, Sighup));
            Assert.Contains("not reloaded", WaitFor("reloaded"), StringComparison.Ordinal);
            Assert.False(process.HasExited);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
