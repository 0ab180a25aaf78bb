using System.CommandLine;
using System.Globalization;
using Basalt.Diagnostics;
using Basalt.ManagedConfig;
using Basalt.ManagedConfig.Formats;

namespace Basalt.Cli.Commands;

/// <summary>
/// Shared plumbing of the <c>config</c> commands: the options that say which app and date to judge for, reading
/// sources through the format readers, and printing diagnostics (one line each: file:line, severity, code, key,
/// message, fix). Secrets never reach the terminal: the validator and the report redact them.
/// </summary>
internal static class ConfigConsole
{
    public static Option<string?> AppVersionOption() => new("--app-version")
    {
        Description = "Judge for this Claude Desktop release (e.g. 1.19367.0); default: the newest documented behaviour.",
    };

    public static Option<string?> PlatformOption() => new("--platform")
    {
        Description = "Apply this platform's rules (macos, windows, linux) instead of the one implied by the file format.",
    };

    public static Option<string?> NowOption() => new("--now")
    {
        Description = "Judge deprecations as of this date/time (ISO 8601), instead of the current time.",
    };

    public static Option<bool> JsonOption() => new("--json") { Description = "Write JSON to stdout." };

    /// <summary>Parses the shared options; null with a message on stderr when one is malformed.</summary>
    public static ValidationOptions? Options(ParseResult parse, CliConsole console, Option<string?> app, Option<string?> platform, Option<string?> now)
    {
        AppVersion? version = null;
        if (parse.GetValue(app) is { } a)
        {
            if (!AppVersion.TryParse(a, out var v))
            {
                console.Error.WriteLine($"error: --app-version '{a}' is not a version; expected e.g. 1.19367.0 or 2.7032.0.");
                return null;
            }

            version = v;
        }

        ConfigPlatform? p = null;
        if (parse.GetValue(platform) is { } pt)
        {
            p = pt.ToLowerInvariant() switch
            {
                "macos" or "mac" or "darwin" => ConfigPlatform.MacOS,
                "windows" or "win" => ConfigPlatform.Windows,
                "linux" => ConfigPlatform.Linux,
                _ => null,
            };
            if (p is null)
            {
                console.Error.WriteLine($"error: --platform '{pt}' is not one of macos, windows, linux.");
                return null;
            }
        }

        var when = DateTimeOffset.UtcNow;
        if (parse.GetValue(now) is { } n && !DateTimeOffset.TryParse(n, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out when))
        {
            console.Error.WriteLine($"error: --now '{n}' is not a date; expected ISO 8601 such as 2026-11-20 or 2026-10-07T19:00:00Z.");
            return null;
        }

        return new ValidationOptions { TargetAppVersion = version, Platform = p, Now = when };
    }

    /// <summary>Reads every path with the format readers and joins them into one configuration (HKLM+HKCU, both plists…).</summary>
    public static ManagedConfiguration Read(IEnumerable<string> paths)
        => ConfigValidator.Combine(paths.Select(ManagedConfigReader.ReadFile));

    /// <summary>True when a source could not be read at all (missing file, unknown format).</summary>
    public static bool Unreadable(ManagedConfiguration config) => config.CouldNotBeRead;

    public static void WriteDiagnostics(CliConsole console, IEnumerable<Diagnostic> diagnostics, bool includeInfo)
    {
        foreach (var d in diagnostics.Where(d => includeInfo || d.Severity != DiagnosticSeverity.Info))
        {
            console.Error.WriteLine(d.ToString());
        }
    }

    public static Task<int> GuardAsync(CliConsole console, Func<CliConsole, Task<int>> body) => DeployConsole.GuardAsync(console, body);
}
