using System.CommandLine;
using Basalt.Gateway.Configuration;
using Basalt.Usage.Stores;

namespace Basalt.Cli.Commands;

/// <summary>
/// <c>basalt gateway migrate [--config FILE]</c>: creates or upgrades the usage store named by the gateway
/// configuration's <c>usage:</c> section (issue 10 item 4), so an operator can run migrations before rolling out
/// replicas. The gateway also migrates at start; <c>basalt usage migrate --store</c> does the same from a store
/// location. Only maps the configuration to <see cref="UsageStoreFactory.OpenAndMigrateAsync"/>.
/// </summary>
internal static class GatewayMigrateCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config") { Description = "Gateway configuration (its 'usage:' section names the store).", DefaultValueFactory = _ => "basalt.yaml" };
        var command = new Command("migrate", "Create or upgrade the usage store's schema named by the gateway configuration (the gateway also does this at start).");
        command.Options.Add(config);
        command.SetAction((ParseResult parse, CancellationToken ct) => DeployConsole.GuardAsync(CliConsole.Of(parse), async console =>
        {
            var path = parse.GetValue(config)!;
            var result = GatewayConfigReader.Load(path);
            foreach (var d in result.Diagnostics)
            {
                console.Error.WriteLine(d.ToString());
            }

            if (result.Options is null)
            {
                console.Error.WriteLine($"{path}: the gateway configuration has errors; fix them and run again.");
                return 1;
            }

            if (result.Options.Usage.Options is not { } usage)
            {
                console.Error.WriteLine($"{path}: usage is off ('usage: {{ enabled: false }}'), so there is no store to migrate. Remove 'enabled: false' or use 'basalt usage migrate --store'.");
                return 1;
            }

            var location = new UsageStoreLocation(usage.StoreKind, usage.StoreTarget);
            await using var store = await UsageStoreFactory.OpenAndMigrateAsync(usage.StoreKind, usage.StoreTarget, ct).ConfigureAwait(false);
            var version = await store.MigrateAsync(ct).ConfigureAwait(false);
            console.Out.WriteLine($"usage store {location} is at schema version {version}");
            return 0;
        }));
        return command;
    }
}
