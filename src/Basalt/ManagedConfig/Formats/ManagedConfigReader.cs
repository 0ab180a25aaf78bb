using System.Text;
using Basalt.Diagnostics;
using Basalt.Diagnostics.Reading;

namespace Basalt.ManagedConfig.Formats;

/// <summary>
/// Reads a managed configuration from any format Claude Desktop takes (cowork3p-reference §1.2). Never throws for
/// bad content or I/O problems: everything that is wrong becomes a <see cref="Diagnostic"/> in
/// <see cref="ManagedConfiguration.ParseDiagnostics"/> with file, line and a fix. Every entry keeps its source
/// file, line and scope (registry hive, preference domain, configLibrary entry id).
/// </summary>
public static class ManagedConfigReader
{
    /// <summary>Files above this size are refused; no real managed configuration is anywhere near it.</summary>
    public const int MaxInputBytes = 10 * 1024 * 1024;

    /// <summary>
    /// The shared input limits (<see cref="InputLimits"/>) with room for what only this reader sees: a .reg export
    /// in UTF-16 doubles its size, and a signed .mobileconfig carries its certificate chain, so the byte cap is
    /// <see cref="MaxInputBytes"/> instead of the default. Files are read by <see cref="InputText.ReadFile"/> like
    /// every other outside input (regular files only, size checked before reading).
    /// </summary>
    internal static readonly InputLimits Limits = InputLimits.Default with { MaxInputBytes = MaxInputBytes };

    /// <summary>The macOS preference domain (and custom payload type) Claude Desktop reads.</summary>
    public const string PreferenceDomain = "com.anthropic.claudefordesktop";

    /// <summary>
    /// Reads a file or folder. The format comes from the extension (.json, .mobileconfig, .plist, .reg, .ps1),
    /// otherwise from the content; a folder is a configLibrary (or contains one, or a legacy
    /// claude_desktop_config.json). Only the applied configLibrary entry is returned; its scope is
    /// "&lt;id&gt; (applied)".
    /// </summary>
    public static ManagedConfiguration ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var diagnostics = new DiagnosticBag(path);
        try
        {
            if (Directory.Exists(path))
            {
                return ReadFolder(path, includeUnapplied: false, diagnostics);
            }

            if (string.Equals(Path.GetFileName(path), ConfigLibraryReader.MetaFileName, StringComparison.Ordinal))
            {
                return ReadFolder(Path.GetDirectoryName(Path.GetFullPath(path))!, includeUnapplied: false, diagnostics);
            }

            var bytes = ReadBytes(path, diagnostics);
            if (bytes is null)
            {
                return new ManagedConfiguration(ConfigPlatform.Unknown, [], diagnostics.ToList());
            }

            var format = FormatFromPath(path) ?? Detect(bytes);
            if (format is null)
            {
                diagnostics.Error(FormatDiagnosticCodes.UnknownFormat, 0, "Cannot tell which managed-configuration format this is.",
                    "Use a .json, .mobileconfig, .plist, .reg or .ps1 file, or a configLibrary folder.");
                return new ManagedConfiguration(ConfigPlatform.Unknown, [], diagnostics.ToList());
            }

            return Parse(bytes, format.Value, diagnostics);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.SecurityException or NotSupportedException or ArgumentException)
        {
            diagnostics.Error(FormatDiagnosticCodes.IoError, 0, "Cannot read: " + ex.Message, "Check the path and that you may read it (managed files are often root-only: use sudo).");
            return new ManagedConfiguration(ConfigPlatform.Unknown, [], diagnostics.ToList());
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return InternalError(ex, diagnostics);
        }
    }

    /// <summary>
    /// Reads a configLibrary folder. With <paramref name="includeUnapplied"/>, the saved but unapplied
    /// configurations are returned too, scoped "&lt;id&gt; (not applied)"; the app only uses the applied one.
    /// </summary>
    public static ManagedConfiguration ReadConfigLibrary(string folder, bool includeUnapplied = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var diagnostics = new DiagnosticBag(folder);
        try
        {
            return ReadFolder(folder, includeUnapplied, diagnostics);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.SecurityException or ArgumentException)
        {
            diagnostics.Error(FormatDiagnosticCodes.IoError, 0, "Cannot read: " + ex.Message, "Check the path and permissions.");
            return new ManagedConfiguration(ConfigPlatform.Unknown, [], diagnostics.ToList());
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return InternalError(ex, diagnostics);
        }
    }

    /// <summary>Parses content already in memory. <paramref name="sourceName"/> is used in every location.</summary>
    public static ManagedConfiguration Read(ReadOnlySpan<byte> content, ConfigFormat format, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(sourceName);
        var diagnostics = new DiagnosticBag(sourceName);
        if (content.Length > MaxInputBytes)
        {
            ReportTooLarge(content.Length, diagnostics);
            return new ManagedConfiguration(PlatformOf(format), [], diagnostics.ToList());
        }

        return Parse(content, format, diagnostics);
    }

    /// <summary>Parses text already decoded (as UTF-8 for every format).</summary>
    public static ManagedConfiguration Read(string content, ConfigFormat format, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(content);
        return Read(Encoding.UTF8.GetBytes(content), format, sourceName);
    }

    /// <summary>Guesses the format from the first bytes; null when nothing matches.</summary>
    public static ConfigFormat? Detect(ReadOnlySpan<byte> content)
    {
        if (content.StartsWith(ByteOrderMarks.Utf16LE) || content.StartsWith(ByteOrderMarks.Utf16BE))
        {
            return ConfigFormat.Reg;
        }

        if (content.StartsWith(BinaryPlistParser.Magic))
        {
            return ConfigFormat.Plist;
        }

        if (SignedProfile.LooksSigned(content))
        {
            return ConfigFormat.MobileConfig;
        }

        var head = content[..Math.Min(content.Length, 512)];
        if (head.StartsWith(ByteOrderMarks.Utf8))
        {
            head = head[3..];
        }

        var text = Encoding.UTF8.GetString(head).TrimStart();
        if (text.StartsWith(RegFileReader.Header5, StringComparison.OrdinalIgnoreCase) || text.StartsWith(RegFileReader.Header4, StringComparison.OrdinalIgnoreCase))
        {
            return ConfigFormat.Reg;
        }

        if (text.StartsWith('<'))
        {
            return text.Contains("PayloadContent", StringComparison.Ordinal) ? ConfigFormat.MobileConfig : ConfigFormat.Plist;
        }

        if (text.StartsWith('{') || text.StartsWith('['))
        {
            return ConfigFormat.LinuxJson;
        }

        if (text.StartsWith('#') || text.StartsWith('$'))
        {
            return ConfigFormat.PowerShell;
        }

        return null;
    }

    internal static ManagedConfiguration Parse(ReadOnlySpan<byte> content, ConfigFormat format, DiagnosticBag diagnostics)
    {
        List<ConfigEntry> entries;
        try
        {
            if (content.IsEmpty)
            {
                diagnostics.Error(FormatDiagnosticCodes.Empty, 0, "The file is empty.", "Export the configuration again.");
                entries = [];
            }
            else
            {
                entries = format switch
                {
                    ConfigFormat.LinuxJson => JsonConfigReader.Read(content, local: IsLocalJsonName(diagnostics.Source), scope: null, diagnostics),
                    ConfigFormat.ConfigLibrary => JsonConfigReader.Read(content, local: true, scope: LocalScope(diagnostics.Source), diagnostics),
                    ConfigFormat.MobileConfig => PlistConfigReader.Read(content, expectProfile: true, diagnostics),
                    ConfigFormat.Plist => PlistConfigReader.Read(content, expectProfile: false, diagnostics),
                    ConfigFormat.Reg => RegFileReader.Read(content, diagnostics),
                    ConfigFormat.PowerShell => PowerShellReader.Read(content, diagnostics),
                    _ => SchemaOnly(diagnostics),
                };
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return InternalError(ex, diagnostics);
        }

        return new ManagedConfiguration(PlatformOf(format), entries, diagnostics.ToList());
    }

    /// <summary>Reads a whole file with the size cap; null (and a diagnostic) on failure.</summary>
    internal static byte[]? ReadBytes(string path, DiagnosticBag diagnostics)
    {
        var bytes = InputText.ReadFile(path, Limits.MaxInputBytes, out var problem);
        switch (problem)
        {
            case InputText.FileProblem.None:
                return bytes;
            case InputText.FileProblem.TooLarge:
                ReportTooLarge(SizeOf(path), diagnostics);
                break;
            case InputText.FileProblem.NotFound:
                diagnostics.Error(FormatDiagnosticCodes.IoError, 0,
                    Directory.Exists(Path.GetDirectoryName(Path.GetFullPath(path))) ? "The file does not exist." : "The folder of the file does not exist.", "Check the path.");
                break;
            case InputText.FileProblem.NotRegularFile:
                diagnostics.Error(FormatDiagnosticCodes.IoError, 0, "This is not a regular file (a device, pipe or socket); nothing was read.",
                    "Point at the configuration file itself (copy it to a file first if it comes from a pipe).");
                break;
            default:
                diagnostics.Error(FormatDiagnosticCodes.IoError, 0, "Cannot read the file: access denied or an I/O error.", "Check that you may read it (managed files are often root-only: use sudo).");
                break;
        }

        return null;
    }

    private static long SizeOf(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return MaxInputBytes + 1L;
        }
    }

    private static ManagedConfiguration ReadFolder(string folder, bool includeUnapplied, DiagnosticBag diagnostics)
    {
        var library = folder;
        if (!File.Exists(Path.Combine(folder, ConfigLibraryReader.MetaFileName)))
        {
            var nested = Path.Combine(folder, "configLibrary");
            var legacy = Path.Combine(folder, "claude_desktop_config.json");
            if (Directory.Exists(nested))
            {
                library = nested;
            }
            else if (File.Exists(legacy))
            {
                var legacyBag = new DiagnosticBag(legacy);
                var bytes = ReadBytes(legacy, legacyBag);
                return bytes is null
                    ? new ManagedConfiguration(ConfigPlatform.Unknown, [], legacyBag.ToList())
                    : Parse(bytes, ConfigFormat.ConfigLibrary, legacyBag);
            }
            else
            {
                diagnostics.Error(FormatDiagnosticCodes.LibraryMeta, 0, "The folder is not a configLibrary: it has no _meta.json.",
                    "Point at the configLibrary folder (e.g. ~/Library/Application Support/Claude-3p/configLibrary) or a single configuration file.");
                return new ManagedConfiguration(ConfigPlatform.Unknown, [], diagnostics.ToList());
            }
        }

        var entries = ConfigLibraryReader.Read(library, includeUnapplied, diagnostics);
        return new ManagedConfiguration(ConfigPlatform.Unknown, entries, diagnostics.ToList());
    }

    /// <summary>
    /// A parser bug must not reach the user as a stack trace (ARCHITECTURE.md, errors are values); the fuzz tests
    /// assert this code never appears, so the catch-all hides no bug from the test suite.
    /// </summary>
    private static ManagedConfiguration InternalError(Exception ex, DiagnosticBag diagnostics)
    {
        diagnostics.Error(FormatDiagnosticCodes.InternalError, 0, $"Internal error while reading ({ex.GetType().Name}); nothing was read.",
            "Please report this with the file (remove secrets first).");
        return new ManagedConfiguration(ConfigPlatform.Unknown, [], diagnostics.ToList());
    }

    private static List<ConfigEntry> SchemaOnly(DiagnosticBag diagnostics)
    {
        diagnostics.Error(FormatDiagnosticCodes.SchemaOnly, 0, "ADMX/ADML templates describe policies but hold no values.",
            "Read the registry export (.reg) or the device's registry instead.");
        return [];
    }

    private static void ReportTooLarge(long length, DiagnosticBag diagnostics)
        => diagnostics.Error(FormatDiagnosticCodes.TooLarge, 0,
            $"The input is {length:N0} bytes; managed configuration files larger than {MaxInputBytes / (1024 * 1024)} MiB are refused.",
            "Check that this is the right file; a managed configuration is a few kilobytes.");

    private static ConfigFormat? FormatFromPath(string path)
    {
        return Path.GetExtension(path).ToUpperInvariant() switch
        {
            ".REG" => ConfigFormat.Reg,
            ".MOBILECONFIG" => ConfigFormat.MobileConfig,
            ".PLIST" => ConfigFormat.Plist,
            ".PS1" => ConfigFormat.PowerShell,
            ".ADMX" or ".ADML" => ConfigFormat.Admx,
            ".JSON" when IsLocalJsonName(path) => ConfigFormat.ConfigLibrary,
            ".JSON" => ConfigFormat.LinuxJson,
            _ => null,
        };
    }

    /// <summary>The legacy local file and configLibrary entries are user-authored (§1.2), not the managed file.</summary>
    private static bool IsLocalJsonName(string path)
    {
        var name = Path.GetFileName(path);
        var parent = Path.GetFileName(Path.GetDirectoryName(path) ?? string.Empty);
        return name == "claude_desktop_config.json" || parent == "configLibrary";
    }

    private static string? LocalScope(string path)
    {
        var name = Path.GetFileName(path);
        return name.Length == 0 || name == "claude_desktop_config.json" ? null : Path.GetFileNameWithoutExtension(name);
    }

    private static ConfigPlatform PlatformOf(ConfigFormat format) => format switch
    {
        ConfigFormat.LinuxJson => ConfigPlatform.Linux,
        ConfigFormat.MobileConfig or ConfigFormat.Plist => ConfigPlatform.MacOS,
        ConfigFormat.Reg or ConfigFormat.PowerShell or ConfigFormat.Admx => ConfigPlatform.Windows,
        _ => ConfigPlatform.Unknown,
    };
}
