using System.CommandLine;
using System.Text;
using System.Text.Json;
using Basalt.ManagedConfig;

namespace Basalt.Cli.Commands;

/// <summary>
/// <c>basalt config diff A B</c>: what the app would read differently, whatever the two formats are (a .reg
/// against a .mobileconfig compares meanings, not bytes). Exit 0 when equal, 1 when different, 2 when a side
/// cannot be read.
/// </summary>
internal static class ConfigDiffCommand
{
    public static Command Create()
    {
        var a = new Argument<string>("a") { Description = "The first configuration (file or configLibrary folder)." };
        var b = new Argument<string>("b") { Description = "The second configuration." };
        var command = new Command("diff", "Compare two configurations by meaning, across formats; exit 1 when they differ.");
        command.Arguments.Add(a);
        command.Arguments.Add(b);
        var common = ConfigCommandOptions.AddTo(command);
        command.SetAction((ParseResult parse, CancellationToken ct) => ConfigConsole.GuardAsync(CliConsole.Of(parse), console =>
        {
            var options = common.Resolve(parse, console);
            if (options is null)
            {
                return Task.FromResult(2);
            }

            var pathA = parse.GetValue(a)!;
            var pathB = parse.GetValue(b)!;
            var configA = ConfigConsole.Read([pathA]);
            var configB = ConfigConsole.Read([pathB]);
            if (ConfigConsole.Unreadable(configA) || ConfigConsole.Unreadable(configB))
            {
                ConfigConsole.WriteDiagnostics(console, configA.ParseDiagnostics.Concat(configB.ParseDiagnostics), includeInfo: false);
                return Task.FromResult(2);
            }

            var differences = ConfigDiff.Compare(ConfigValidator.Validate(configA, options), ConfigValidator.Validate(configB, options));
            if (common.Json(parse))
            {
                console.Out.WriteLine(Json(pathA, pathB, differences));
            }
            else if (differences.Count == 0)
            {
                console.Out.WriteLine($"{pathA} and {pathB} configure the app identically.");
            }
            else
            {
                console.Out.WriteLine($"--- {pathA}");
                console.Out.WriteLine($"+++ {pathB}");
                foreach (var d in differences)
                {
                    console.Out.WriteLine(d.ToString());
                }
            }

            return Task.FromResult(differences.Count == 0 ? 0 : 1);
        }));
        return command;
    }

    private static string Json(string a, string b, IReadOnlyList<ConfigDifference> differences)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("a", a);
            w.WriteString("b", b);
            w.WriteBoolean("identical", differences.Count == 0);
            w.WriteStartArray("differences");
            foreach (var d in differences)
            {
                w.WriteStartObject();
                w.WriteString("key", d.Key);
                w.WriteString("change", d.Kind.ToString().ToLowerInvariant());
                if (d.Before is null)
                {
                    w.WriteNull("before");
                }
                else
                {
                    w.WriteString("before", d.Before);
                }

                if (d.After is null)
                {
                    w.WriteNull("after");
                }
                else
                {
                    w.WriteString("after", d.After);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
