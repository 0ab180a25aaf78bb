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
        var app = ConfigConsole.AppVersionOption();
        var platform = ConfigConsole.PlatformOption();
        var now = ConfigConsole.NowOption();
        var json = ConfigConsole.JsonOption();
        var command = new Command("report", "Show the keys the app would read, from where, the credential it would use and whether it enters third-party mode.");
        command.Arguments.Add(paths);
        command.Options.Add(app);
        command.Options.Add(platform);
        command.Options.Add(now);
        command.Options.Add(json);
        command.SetAction((ParseResult parse, CancellationToken ct) => ConfigConsole.GuardAsync(() =>
        {
            var options = ConfigConsole.Options(parse, app, platform, now);
            if (options is null)
            {
                return Task.FromResult(1);
            }

            var files = parse.GetValue(paths)!;
            var sources = files.Select(f => (File: f, Config: Basalt.ManagedConfig.Formats.ManagedConfigReader.ReadFile(f))).ToList();
            var config = ConfigValidator.Combine(sources.Select(s => s.Config));
            var report = ConfigReport.Create(ConfigValidator.Validate(config, options), files);
            Console.Out.Write(parse.GetValue(json) ? report.ToJson() + Environment.NewLine : report.ToText());
            return Task.FromResult(sources.All(s => ConfigConsole.Unreadable(s.Config)) ? 1 : 0);
        }));
        return command;
    }
}
