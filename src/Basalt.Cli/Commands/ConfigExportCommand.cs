using System.CommandLine;
using Basalt.ManagedConfig.Export;
using Basalt.ManagedConfig.Formats;

namespace Basalt.Cli.Commands;

/// <summary>
/// <c>basalt config export SOURCE --format reg|mobileconfig|plist|json|ps1|admx -o OUT</c>: reads any supported
/// source and writes it in another deployable format, atomically. Problems in the source go to stderr with
/// file:line; if any is an error nothing is written and the exit code is 1. What is exported, the secret-file mode
/// and the ADMX archive are <see cref="ConfigExporter"/>'s decisions; this host maps options and prints.
/// </summary>
internal static class ConfigExportCommand
{
    public static Command Create()
    {
        var source = new Argument<string?>("source")
        {
            Description = "A .reg, .mobileconfig, .plist, managed-settings.json, .ps1 written by Basalt, or a configLibrary folder (not needed for --format admx).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var format = new Option<string?>("--format", "-f") { Description = "reg, mobileconfig, plist, json, ps1 or admx (default: from the output's extension)." };
        var output = new Option<string>("--output", "-o") { Description = "Output file; for admx a folder (claude.admx + en-US/claude.adml) or a .zip.", Required = true };
        var hive = new Option<string>("--hive") { Description = "HKLM (default, for fleets) or HKCU, for reg and ps1.", DefaultValueFactory = _ => "HKLM" };
        var removeStale = new Option<bool>("--remove-stale") { Description = "reg/ps1: also delete catalogue values that are not in the source." };
        var identifier = new Option<string?>("--payload-identifier") { Description = "mobileconfig: the profile's PayloadIdentifier (reverse DNS)." };
        var organization = new Option<string?>("--organization") { Description = "mobileconfig: PayloadOrganization." };
        var displayName = new Option<string?>("--display-name") { Description = "mobileconfig: the profile's name." };
        var description = new Option<string?>("--description") { Description = "mobileconfig: PayloadDescription." };
        var seed = new Option<string?>("--identity-seed") { Description = "mobileconfig: stable identity the profile UUIDs derive from (default: the payload identifier)." };

        var command = new Command("export", "Convert a managed configuration to another format (.reg, .mobileconfig, .plist, managed-settings.json, PowerShell, ADMX).");
        command.Arguments.Add(source);
        foreach (var o in new Option[] { format, output, hive, removeStale, identifier, organization, displayName, description, seed })
        {
            command.Options.Add(o);
        }

        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var console = CliConsole.Of(parse);
            try
            {
                return await RunAsync(parse, console, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Users never see a stack trace (ARCHITECTURE.md, errors are values at the edges).
                return Fail(console, $"internal error ({ex.GetType().Name}): {ex.Message}");
            }
        });
        return command;

        async Task<int> RunAsync(ParseResult parse, CliConsole console, CancellationToken ct)
        {
            var outPath = parse.GetValue(output)!;
            var target = ConfigExporter.ResolveFormat(parse.GetValue(format), outPath);
            if (target is null)
            {
                return Fail(console, $"--format must be one of {string.Join(", ", ConfigExporter.Names)} (or give -o a file with one of those extensions).");
            }

            if (!ConfigExporter.TryParseHive(parse.GetValue(hive), out var registryHive))
            {
                return Fail(console, "--hive must be HKLM or HKCU.");
            }

            var options = new ExportOptions
            {
                RegistryHive = registryHive,
                RemoveStaleValues = parse.GetValue(removeStale),
                Organization = parse.GetValue(organization),
                Description = parse.GetValue(description),
                IdentitySeed = parse.GetValue(seed),
            };
            options = parse.GetValue(identifier) is { } id ? options with { PayloadIdentifier = id } : options;
            options = parse.GetValue(displayName) is { } name ? options with { DisplayName = name } : options;

            try
            {
                if (target == ConfigFormat.Admx)
                {
                    var admx = await ConfigExporter.WriteAdmxAsync(outPath, options, ct);
                    if (admx.ArchiveEntries.Count > 0)
                    {
                        console.Out.WriteLine($"Wrote {outPath} ({string.Join(", ", admx.ArchiveEntries)}).");
                    }

                    foreach (var path in admx.ArchiveEntries.Count > 0 ? [] : admx.WrittenPaths)
                    {
                        console.Out.WriteLine($"Wrote {path}");
                    }

                    return 0;
                }

                var sourcePath = parse.GetValue(source);
                if (string.IsNullOrEmpty(sourcePath))
                {
                    return Fail(console, "give the SOURCE configuration to export.");
                }

                var result = await ConfigExporter.ExportFileAsync(sourcePath, target.Value, outPath, options, ct);
                foreach (var d in result.Diagnostics)
                {
                    console.Error.WriteLine(d.ToString());
                }

                if (!result.Success)
                {
                    console.Error.WriteLine($"error: {sourcePath} has errors; nothing was written.");
                    return 1;
                }

                console.Out.WriteLine($"Wrote {result.ValueCount} value(s) to {outPath} ({ConfigExporter.NameOf(target.Value)}{(result.ContainsSecret ? ", mode 0600: it holds a secret" : string.Empty)}).");
                return 0;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return Fail(console, $"cannot write {outPath}: {ex.Message}");
            }
        }
    }

    private static int Fail(CliConsole console, string message)
    {
        console.Error.WriteLine("error: " + message);
        return 1;
    }
}
