using Basalt.Testing;

namespace Basalt.Cli.Tests.Gateway;

/// <summary>
/// <c>basalt gateway</c> writes to the invocation's console (issue 13: CLI commands take an injected console), so
/// its diagnostics can be captured in-process like every other command's.
/// </summary>
public sealed class GatewayCommandConsoleTests
{
    [Fact]
    public async Task Check_with_a_broken_configuration_writes_its_diagnostics_to_the_invocation_error_writer()
    {
        using var dir = new TempDirectory("gw-console");
        var path = dir.Write("gw.yaml", """
            gateway:
              listen: [ "http://127.0.0.1:0" ]
              upstreams:
                east: { region: us-east-1 }
              models:
                claude-sonnet-4-5:
                  routes: [ { upstream: eastt, model: us.anthropic.claude-sonnet-4-5-20250929-v1:0 } ]
            """);

        var result = await InProcessCli.RunAsync(["gateway", "check", "--config", path]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error BSL8011", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("the gateway configuration has errors", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stdout);
    }
}
