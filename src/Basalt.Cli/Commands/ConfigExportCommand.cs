using System.CommandLine;
using System.IO.Compression;
using Basalt.Diagnostics;
using Basalt.IO;
using Basalt.ManagedConfig;
using Basalt.ManagedConfig.Formats;

namespace Basalt.Cli.Commands;

/// <summary>
/// <c>basalt config export SOURCE --format reg|mobileconfig|plist|json|ps1|admx -o OUT</c>: reads any supported
/// source and writes it in another deployable format, atomically. Problems in the source go to stderr with
/// file:line; if any is an error nothing is written and the exit code is 1.
/// </summary>
internal static class ConfigExportCommand
{
    private static readonly Dictionary<string, ConfigFormat> Formats = new(StringComparer.OrdinalIgnoreCase)
    {
        ["reg"] = ConfigFormat.Reg,
        ["mobileconfig"] = ConfigFormat.MobileConfig,
        ["plist"] = ConfigFormat.Plist,
        ["json"] = ConfigFormat.LinuxJson,
        ["ps1"] = ConfigFormat.PowerShell,
        ["admx"] = ConfigFormat.Admx,
    };

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
            try
            {
                return await RunAsync(parse, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Users never see a stack trace (ARCHITECTURE.md, errors are values at the edges).
                return Fail($"internal error ({ex.GetType().Name}): {ex.Message}");
            }
        });
        return command;

        async Task<int> RunAsync(ParseResult parse, CancellationToken ct)
        {
            var outPath = parse.GetValue(output)!;
            var target = ResolveFormat(parse.GetValue(format), outPath);
            if (target is null)
            {
                return Fail("--format must be one of reg, mobileconfig, plist, json, ps1, admx (or give -o a file with one of those extensions).");
            }

            RegistryHive registryHive;
            switch (parse.GetValue(hive)?.ToUpperInvariant())
            {
                case "HKLM" or "HKEY_LOCAL_MACHINE":
                    registryHive = RegistryHive.LocalMachine;
                    break;
                case "HKCU" or "HKEY_CURRENT_USER":
                    registryHive = RegistryHive.CurrentUser;
                    break;
                default:
                    return Fail("--hive must be HKLM or HKCU.");
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
                    return await WriteAdmxAsync(outPath, options, ct);
                }

                var sourcePath = parse.GetValue(source);
                if (string.IsNullOrEmpty(sourcePath))
                {
                    return Fail("give the SOURCE configuration to export.");
                }

                return await ExportAsync(sourcePath, target.Value, outPath, options, ct);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return Fail($"cannot write {outPath}: {ex.Message}");
            }
        }
    }

    private static async Task<int> ExportAsync(string sourcePath, ConfigFormat target, string outPath, ExportOptions options, CancellationToken ct)
    {
        var config = ManagedConfigReader.ReadFile(sourcePath);
        var problems = config.ParseDiagnostics.ToList();
        var values = SelectValues(config, problems);
        problems.AddRange(ManagedConfigWriter.Check(target, values));
        foreach (var d in problems)
        {
            Console.Error.WriteLine(d.ToString());
        }

        if (problems.Any(d => d.IsError))
        {
            Console.Error.WriteLine($"error: {sourcePath} has errors; nothing was written.");
            return 1;
        }

        var bytes = ManagedConfigWriter.Write(target, values, options);
        // Writers validate what they write: the file must read back cleanly with Basalt's own reader.
        if (WrittenFileValidator.Validate(target, outPath, bytes) is { Count: > 0 } invalid)
        {
            foreach (var d in invalid)
            {
                Console.Error.WriteLine(d.ToString());
            }

            return 1;
        }

        // Files holding a credential are created 0600 from the start; the redactor decides what a credential is.
        var secret = values.Any(v => SecretRedactor.IsSecret(v.Key, v.Value));
        await AtomicFile.WriteAllBytesAsync(outPath, bytes, secret, ct);
        Console.Out.WriteLine($"Wrote {values.Count} value(s) to {outPath} ({FormatName(target)}{(secret ? ", mode 0600: it holds a secret" : string.Empty)}).");
        return 0;
    }

    /// <summary>
    /// The values the app would take from the source, as wire strings in source order. Which source values win
    /// (HKLM over HKCU, per-user over machine plist, managed over local, readable types only) is the validator's
    /// decision (cowork3p-reference §1.3), so a conversion never disagrees with the report; unknown or invalid keys
    /// are kept, so a converted file is reported exactly like its source.
    /// </summary>
    private static List<KeyValuePair<string, string>> SelectValues(ManagedConfiguration config, List<Diagnostic> problems)
    {
        var result = ConfigValidator.Validate(config);
        var taken = result.SourceEntries.ToHashSet();
        foreach (var entry in config.Entries.Where(e => !taken.Contains(e)))
        {
            var reason = result.IgnoredEntries.FirstOrDefault(i => ReferenceEquals(i.Entry, entry))?.Reason ?? "the app does not read it";
            problems.Add(new Diagnostic(DiagnosticSeverity.Warning, FormatDiagnosticCodes.NotRepresentable,
                $"Not exported: {reason}.", entry.Key.Length == 0 ? null : entry.Key, entry.Location,
                "Keep the configuration in one place the app reads (e.g. only HKLM), with every value as a string."));
        }

        var values = new List<KeyValuePair<string, string>>();
        foreach (var e in result.SourceEntries)
        {
            if (e.Value is null || e.Key.Length == 0)
            {
                problems.Add(new Diagnostic(DiagnosticSeverity.Warning, FormatDiagnosticCodes.NotRepresentable,
                    e.Key.Length == 0 ? "The unnamed default value is not exported." : $"The value is stored as {e.WireType}, which the app cannot read; it is not exported.",
                    e.Key, e.Location, "Store it as a string."));
                continue;
            }

            values.Add(new(e.Key, e.Value));
        }

        return values;
    }

    private static async Task<int> WriteAdmxAsync(string outPath, ExportOptions options, CancellationToken ct)
    {
        var files = ManagedConfigWriter.WriteAdmx(options);
        if (outPath.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            using var buffer = new MemoryStream();
            using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            {
                foreach (var (name, bytes) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
                {
                    var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
                    // A fixed timestamp keeps the archive byte-for-byte reproducible.
                    entry.LastWriteTime = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
                    await using var stream = entry.Open();
                    await stream.WriteAsync(bytes, ct);
                }
            }

            await AtomicFile.WriteAllBytesAsync(outPath, buffer.ToArray(), cancellationToken: ct);
            Console.Out.WriteLine($"Wrote {outPath} ({string.Join(", ", files.Keys)}).");
            return 0;
        }

        foreach (var (name, bytes) in files)
        {
            var path = Path.Combine(outPath, name.Replace('/', Path.DirectorySeparatorChar));
            await AtomicFile.WriteAllBytesAsync(path, bytes, cancellationToken: ct);
            Console.Out.WriteLine($"Wrote {path}");
        }

        return 0;
    }

    private static ConfigFormat? ResolveFormat(string? format, string outPath)
    {
        if (format is not null)
        {
            return Formats.TryGetValue(format, out var f) ? f : null;
        }

        return Path.GetExtension(outPath).ToUpperInvariant() switch
        {
            ".REG" => ConfigFormat.Reg,
            ".MOBILECONFIG" => ConfigFormat.MobileConfig,
            ".PLIST" => ConfigFormat.Plist,
            ".JSON" => ConfigFormat.LinuxJson,
            ".PS1" => ConfigFormat.PowerShell,
            ".ZIP" or ".ADMX" => ConfigFormat.Admx,
            _ => null,
        };
    }

    private static string FormatName(ConfigFormat format) => Formats.First(f => f.Value == format).Key;

    private static int Fail(string message)
    {
        Console.Error.WriteLine("error: " + message);
        return 1;
    }
}
