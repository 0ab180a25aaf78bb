using System.CommandLine;
using System.Text;
using System.Text.Json;
using Basalt.Diagnostics;
using Basalt.ManagedConfig;

namespace Basalt.Cli.Commands;

/// <summary>
/// <c>basalt config lint PATH...</c>: validate one configuration made of all given sources. Findings go to stderr
/// (or, with <c>--json</c>, as JSON to stdout), a one-line summary to stdout. Exit 1 on any error (or warning with
/// <c>--strict</c>), 0 otherwise.
/// </summary>
internal static class ConfigLintCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("path") { Description = "Configuration files or configLibrary folders; several are judged together (e.g. an HKLM and an HKCU .reg).", Arity = ArgumentArity.OneOrMore };
        var strict = new Option<bool>("--strict") { Description = "Exit 1 on warnings too." };
        var info = new Option<bool>("--info") { Description = "Also print informational findings." };
        var command = new Command("lint", "Check managed configuration against every rule the app applies; exit 1 on errors.");
        command.Arguments.Add(paths);
        var common = ConfigCommandOptions.AddTo(command);
        command.Options.Add(strict);
        command.Options.Add(info);
        command.SetAction((ParseResult parse, CancellationToken ct) => ConfigConsole.GuardAsync(CliConsole.Of(parse), console =>
        {
            var options = common.Resolve(parse, console);
            if (options is null)
            {
                return Task.FromResult(1);
            }

            var files = parse.GetValue(paths)!;
            var config = ConfigConsole.Read(files);
            var result = ConfigValidator.Validate(config, options);
            var errors = result.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
            var warnings = result.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning);
            if (common.Json(parse))
            {
                console.Out.WriteLine(Json(result, files));
            }
            else
            {
                ConfigConsole.WriteDiagnostics(console, result.Diagnostics, parse.GetValue(info));
                console.Out.WriteLine($"{string.Join(", ", files)}: {errors} error(s), {warnings} warning(s); provider {result.Provider?.ToWire() ?? "(none)"}; "
                    + (result.EntersThirdPartyMode ? "enters third-party mode." : $"stays out of third-party mode ({result.NotThirdPartyReasons.Count} reason(s), see 'basalt config report')."));
            }

            return Task.FromResult(errors > 0 || (parse.GetValue(strict) && warnings > 0) ? 1 : 0);
        }));
        return command;
    }

    private static string Json(ValidationResult result, IReadOnlyList<string> files)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteStartArray("sources");
            foreach (var f in files)
            {
                w.WriteStringValue(f);
            }

            w.WriteEndArray();
            w.WriteNumber("errors", result.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error));
            w.WriteNumber("warnings", result.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning));
            w.WriteBoolean("entersThirdPartyMode", result.EntersThirdPartyMode);
            w.WriteStartArray("diagnostics");
            foreach (var d in result.Diagnostics)
            {
                ConfigReport.WriteDiagnostic(w, d);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
