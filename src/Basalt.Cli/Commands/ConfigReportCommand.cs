using System.CommandLine;
using Basalt.ManagedConfig;

namespace Basalt.Cli.Commands;

/// <summary>
/// <c>basalt config report PATH...</c>: what the app's Managed Configuration Report would show, and more (keys and
/// where each came from, parse failures, provider, winning credential and why, reasons the app stays out of
/// third-party mode), secrets redacted. Exit 0 when the report was produced, 1 when no source could be read.
/// </summary>
internal static class ConfigReportCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("path") { Description = "Configuration files or configLibrary folders, judged together.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("report", "Show the keys the app would read, from where, the credential it would use and whether it enters third-party mode.");
        command.Arguments.Add(paths);
        var common = ConfigCommandOptions.AddTo(command);
        command.SetAction((ParseResult parse, CancellationToken ct) => ConfigConsole.GuardAsync(CliConsole.Of(parse), console =>
        {
            var options = common.Resolve(parse, console);
            if (options is null)
            {
                return Task.FromResult(1);
            }

            var files = parse.GetValue(paths)!;
            var sources = files.Select(Basalt.ManagedConfig.Formats.ManagedConfigReader.ReadFile).ToList();
            var config = ConfigValidator.Combine(sources);
            var report = ConfigReport.Create(ConfigValidator.Validate(config, options), files);
            console.Out.Write(common.Json(parse) ? report.ToJson() + Environment.NewLine : report.ToText());
            return Task.FromResult(sources.All(ConfigConsole.Unreadable) ? 1 : 0);
        }));
        return command;
    }
}
