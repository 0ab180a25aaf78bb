using System.IO.Compression;
using Basalt.Diagnostics;
using Basalt.IO;
using Basalt.ManagedConfig.Formats;

namespace Basalt.ManagedConfig.Export;

/// <summary>
/// Converts a managed configuration from any readable source into another deployable format (what
/// <c>basalt config export</c> does): which values are exported is the validator's decision, values a target cannot
/// carry become warnings, any error means nothing is written, files holding a secret are created 0600, and ADMX
/// templates go to a folder or a byte-for-byte reproducible zip. Writes are atomic.
/// </summary>
public static class ConfigExporter
{
    private static readonly (string Name, ConfigFormat Format)[] FormatNames =
    [
        ("reg", ConfigFormat.Reg),
        ("mobileconfig", ConfigFormat.MobileConfig),
        ("plist", ConfigFormat.Plist),
        ("json", ConfigFormat.LinuxJson),
        ("ps1", ConfigFormat.PowerShell),
        ("admx", ConfigFormat.Admx),
    ];

    /// <summary>The format names <c>--format</c> accepts, in the order help lists them.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. FormatNames.Select(f => f.Name)];

    /// <summary>The target format: <paramref name="format"/> by name, else from the output's extension; null when neither names one.</summary>
    public static ConfigFormat? ResolveFormat(string? format, string outputPath)
    {
        ArgumentNullException.ThrowIfNull(outputPath);
        if (format is not null)
        {
            return FormatNames.FirstOrDefault(f => string.Equals(f.Name, format, StringComparison.OrdinalIgnoreCase)) is { Name: not null } hit ? hit.Format : null;
        }

        return Path.GetExtension(outputPath).ToUpperInvariant() switch
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

    /// <summary>HKLM/HKEY_LOCAL_MACHINE or HKCU/HKEY_CURRENT_USER, case-insensitively.</summary>
    public static bool TryParseHive(string? text, out RegistryHive hive)
    {
        switch (text?.ToUpperInvariant())
        {
            case "HKLM" or "HKEY_LOCAL_MACHINE":
                hive = RegistryHive.LocalMachine;
                return true;
            case "HKCU" or "HKEY_CURRENT_USER":
                hive = RegistryHive.CurrentUser;
                return true;
            default:
                hive = default;
                return false;
        }
    }

    /// <summary>The <c>--format</c> name of <paramref name="format"/>.</summary>
    public static string NameOf(ConfigFormat format) => FormatNames.First(f => f.Format == format).Name;

    /// <summary>Reads <paramref name="sourcePath"/> and writes it as <paramref name="target"/> to <paramref name="outputPath"/>, unless the source has errors.</summary>
    public static async Task<ConfigExportResult> ExportFileAsync(string sourcePath, ConfigFormat target, string outputPath, ExportOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (target == ConfigFormat.Admx)
        {
            throw new ArgumentException("ADMX templates are not a conversion of a source; use WriteAdmxAsync.", nameof(target));
        }

        var config = ManagedConfigReader.ReadFile(sourcePath);
        var problems = config.ParseDiagnostics.ToList();
        var values = SelectValues(config, problems);
        problems.AddRange(ManagedConfigWriter.Check(target, values));
        if (problems.Any(d => d.IsError))
        {
            return new ConfigExportResult(problems, []) { ValueCount = values.Count };
        }

        var bytes = ManagedConfigWriter.Write(target, values, options);

        // Writers validate what they write: the file must read back cleanly with Basalt's own reader (issue 14).
        if (WrittenFileValidator.Validate(target, outputPath, bytes) is { Count: > 0 } invalid)
        {
            return new ConfigExportResult([.. problems, .. invalid], []) { ValueCount = values.Count };
        }

        // Files holding a credential are created 0600 from the start; the redactor decides what a credential is,
        // as it does for 'config report' (a misspelled token key or URL user-info is a secret in both).
        var secret = values.Any(v => SecretRedactor.IsSecret(v.Key, v.Value));
        await AtomicFile.WriteAllBytesAsync(outputPath, bytes, secret, cancellationToken).ConfigureAwait(false);
        return new ConfigExportResult(problems, [outputPath]) { ValueCount = values.Count, ContainsSecret = secret };
    }

    /// <summary>
    /// Writes the ADMX/ADML templates: into a folder (<c>claude.admx</c>, <c>en-US/claude.adml</c>), or, when
    /// <paramref name="outputPath"/> ends in <c>.zip</c>, one archive with a fixed timestamp so it is reproducible.
    /// </summary>
    public static async Task<ConfigExportResult> WriteAdmxAsync(string outputPath, ExportOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outputPath);
        var files = ManagedConfigWriter.WriteAdmx(options);
        if (outputPath.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            using var buffer = new MemoryStream();
            using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            {
                foreach (var (name, bytes) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
                {
                    var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
                    entry.LastWriteTime = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
                    var stream = entry.Open();
                    await using (stream.ConfigureAwait(false))
                    {
                        await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            await AtomicFile.WriteAllBytesAsync(outputPath, buffer.ToArray(), cancellationToken: cancellationToken).ConfigureAwait(false);
            return new ConfigExportResult([], [outputPath]) { ArchiveEntries = [.. files.Keys] };
        }

        var written = new List<string>();
        foreach (var (name, bytes) in files)
        {
            var path = Path.Combine(outputPath, name.Replace('/', Path.DirectorySeparatorChar));
            await AtomicFile.WriteAllBytesAsync(path, bytes, cancellationToken: cancellationToken).ConfigureAwait(false);
            written.Add(path);
        }

        return new ConfigExportResult([], written);
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
}
