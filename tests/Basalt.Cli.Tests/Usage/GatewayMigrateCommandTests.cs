using Basalt.Testing;
using Basalt.Usage.Stores;

namespace Basalt.Cli.Tests.Usage;

/// <summary><c>basalt gateway migrate</c> (issue 10 item 4): the store named by the gateway configuration's usage section.</summary>
public sealed class GatewayMigrateCommandTests
{
    private const string Gateway = """
        gateway:
          upstreams:
            east: { region: us-east-1, credentials: { source: profile, profile: gateway } }
          models:
            claude-sonnet-4-5:
              routes: [ { upstream: east, model: us.anthropic.claude-sonnet-4-5-20250929-v1:0 } ]

        """;

    [Fact]
    public async Task Gateway_migrate_creates_the_SQLite_store_the_usage_section_names_relative_to_the_configuration()
    {
        using var temp = new TempDirectory("cli-gw-migrate");
        var config = temp.Write("gw.yaml", Gateway + "  usage:\n    store: { sqlite: data/usage.db }\n");

        var r = await InProcessCli.RunAsync(["gateway", "migrate", "--config", config]);

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains($"usage store sqlite:{temp.Combine("data", "usage.db")} is at schema version", r.Stdout, StringComparison.Ordinal);
        await using var store = UsageStoreFactory.Open("sqlite", temp.Combine("data", "usage.db"));
        Assert.Equal(0, await store.CountRecordsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Gateway_migrate_with_usage_off_says_there_is_no_store_and_exits_1()
    {
        using var temp = new TempDirectory("cli-gw-migrate-off");
        var config = temp.Write("gw.yaml", Gateway + "  usage: { enabled: false }\n");

        var r = await InProcessCli.RunAsync(["gateway", "migrate", "--config", config]);

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("usage is off", r.Stderr, StringComparison.Ordinal);
    }
}
