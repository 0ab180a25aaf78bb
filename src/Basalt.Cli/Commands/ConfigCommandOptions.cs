using System.CommandLine;
using Basalt.ManagedConfig;

namespace Basalt.Cli.Commands;

/// <summary>
/// The options every judging <c>config</c> command shares (<c>report</c>, <c>diff</c>, <c>lint</c>): which app
/// release, platform and date to judge for, and <c>--json</c>. One place so the three commands cannot drift apart.
/// </summary>
internal sealed class ConfigCommandOptions
{
    private readonly Option<string?> _app = ConfigConsole.AppVersionOption();
    private readonly Option<string?> _platform = ConfigConsole.PlatformOption();
    private readonly Option<string?> _now = ConfigConsole.NowOption();
    private readonly Option<bool> _json = ConfigConsole.JsonOption();

    private ConfigCommandOptions()
    {
    }

    /// <summary>Creates the shared options and adds them to <paramref name="command"/> (after its arguments).</summary>
    public static ConfigCommandOptions AddTo(Command command)
    {
        var options = new ConfigCommandOptions();
        command.Options.Add(options._app);
        command.Options.Add(options._platform);
        command.Options.Add(options._now);
        command.Options.Add(options._json);
        return options;
    }

    /// <summary>The validation options; null with a message on stderr when one is malformed.</summary>
    public ValidationOptions? Resolve(ParseResult parse, CliConsole console) => ConfigConsole.Options(parse, console, _app, _platform, _now);

    public bool Json(ParseResult parse) => parse.GetValue(_json);
}
