using System.CommandLine;
using System.Runtime.InteropServices;
using Basalt.Gateway.Configuration;
using Basalt.Gateway.Health;
using Basalt.Gateway.Host;
using Basalt.Policy;
using Microsoft.Extensions.Logging;

namespace Basalt.Cli.Commands;

/// <summary>
/// <c>basalt gateway serve [--config FILE]</c> runs the Claude-to-Bedrock gateway until SIGTERM/Ctrl+C (then
/// drains: stops accepting, lets streams finish up to <c>limits.drainTimeoutSeconds</c>, then cancels);
/// <c>basalt gateway check [--config FILE]</c> validates the configuration and probes every upstream. A bad
/// configuration prints one <c>file:line:column: error CODE … Fix: …</c> line per problem and exits 1.
/// </summary>
internal static class GatewayCommand
{
    public static Command Create()
    {
        var command = new Command("gateway", "Run or check Basalt's Claude-to-Bedrock gateway.");
        command.Subcommands.Add(Serve());
        command.Subcommands.Add(Check());
        command.Subcommands.Add(GatewayKeysCommand.Create());
        command.Subcommands.Add(GatewayArchiveCommand.Create());
        command.Subcommands.Add(GatewayMigrateCommand.Create());
        command.Subcommands.Add(GatewayDoctorCommand.Create());
        return command;
    }

    private static Option<string> ConfigOption() => new("--config") { Description = "Gateway configuration: a deployment file with a 'gateway:' section, or a file with only that section.", DefaultValueFactory = _ => "basalt.yaml" };

    private static Command Serve()
    {
        var config = ConfigOption();
        var command = new Command("serve", "Serve the gateway until SIGTERM or Ctrl+C.");
        command.Options.Add(config);
        command.SetAction((ParseResult parse, CancellationToken ct) => ServeAsync(CliConsole.Of(parse), parse.GetValue(config)!, ct));
        return command;
    }

    private static Command Check()
    {
        var config = ConfigOption();
        var command = new Command("check", "Validate the gateway configuration and probe its upstreams (credentials and Bedrock).");
        command.Options.Add(config);
        command.SetAction((ParseResult parse, CancellationToken ct) => CheckAsync(CliConsole.Of(parse), parse.GetValue(config)!, ct));
        return command;
    }

    private static GatewayOptions? Load(CliConsole console, string path)
    {
        var result = GatewayConfigReader.Load(path);
        foreach (var d in result.Diagnostics)
        {
            console.Error.WriteLine(d.ToString());
        }

        if (result.Options is null)
        {
            console.Error.WriteLine($"{path}: the gateway configuration has errors; fix them and run again (the gateway does not start half-configured).");
        }

        return result.Options;
    }

    private static async Task<int> CheckAsync(CliConsole console, string path, CancellationToken cancellationToken)
    {
        var options = Load(console, path);
        if (options is null)
        {
            return 1;
        }

        console.Out.WriteLine($"{path}: configuration is valid ({options.Models.Count} models, {options.Upstreams.Count} upstreams, {options.ApiKeys.Count} API keys).");
        foreach (var group in options.Groups.Values.OrderBy(g => g.Name, StringComparer.Ordinal))
        {
            console.Out.WriteLine($"  group {group.Name}: models {string.Join(", ", group.Models)}");
            foreach (var line in GroupPolicyDescription.Describe(group.Policy))
            {
                console.Out.WriteLine($"    {line}");
            }
        }

        var results = await UpstreamProbe.ProbeAsync(options, cancellationToken: cancellationToken);
        foreach (var r in results)
        {
            console.Out.WriteLine($"  upstream {r.Upstream}: {(r.Ok ? "ok" : "FAILED")} - {r.Message}");
        }

        return results.All(r => r.Ok) ? 0 : 2;
    }

    private static async Task<int> ServeAsync(CliConsole console, string path, CancellationToken cancellationToken)
    {
        var options = Load(console, path);
        if (options is null)
        {
            return 1;
        }

        GatewayServer server;
        try
        {
            server = await GatewayServer.StartAsync(new GatewayServerOptions
            {
                Gateway = options,
                ConfigureLogging = logging => logging.AddSimpleConsole(o =>
                {
                    o.SingleLine = true;
                    o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                    o.UseUtcTimestamp = true;
                }).SetMinimumLevel(LogLevel.Information)
                .AddFilter("Microsoft", LogLevel.Warning),
                AccessLogOutput = Console.OpenStandardOutput(),
            }, cancellationToken);
        }
        catch (IOException e)
        {
            console.Error.WriteLine($"error: cannot listen on {string.Join(", ", options.Listeners)}: {e.Message} Change 'gateway.listen' in {path}.");
            return 1;
        }

        // SIGHUP re-reads the configuration and swaps in what can change live (keys, routing, groups, policies,
        // budgets, rate limits; issue 11 item 2, issue 12 item 5); a file with errors keeps the running one.
        SignalDisposition.RestoreIgnored();
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, signal =>
        {
            signal.Cancel = true;
            var result = server.Reload(GatewayConfigReader.Load(path));
            foreach (var d in result.Errors)
            {
                console.Error.WriteLine(d.ToString());
            }

            console.Out.WriteLine($"{path}: {result.Message}");
        });
        // The first line is stable so scripts and tests can wait for it and read the URL.
        console.Out.WriteLine($"Basalt gateway listening on {string.Join(", ", server.Addresses)}");
        console.Out.WriteLine($"  models: {string.Join(", ", options.Models.Select(m => m.Id))}");
        console.Out.WriteLine($"  Anthropic format: {server.BaseAddress}v1/messages   Bedrock format: {server.BaseAddress}model/{{id}}/invoke-with-response-stream");
        await StopSignal.WaitAsync(cancellationToken);
        console.Out.WriteLine($"Draining: no new connections; open streams get up to {options.Limits.DrainTimeout.TotalSeconds:0} s.");

        await server.StopAsync(CancellationToken.None);
        await server.DisposeAsync();
        console.Out.WriteLine("Gateway stopped.");
        return 0;
    }
}
