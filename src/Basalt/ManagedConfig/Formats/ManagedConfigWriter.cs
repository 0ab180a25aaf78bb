using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Basalt.Diagnostics;

namespace Basalt.ManagedConfig.Formats;

/// <summary>
/// Writes a managed configuration in any deployable format. Values are the wire strings, in order (every value
/// is a string on the wire, cowork3p-reference §1.1). Output is deterministic: the same values and options give
/// the same bytes. Reading any output back with <see cref="ManagedConfigReader"/> gives the same keys and values.
/// </summary>
public static class ManagedConfigWriter
{
    /// <summary>The folder-relative names <see cref="WriteAdmx"/> returns.</summary>
    public static IReadOnlyList<string> AdmxFileNames { get; } = [AdmxWriter.AdmxFileName, AdmxWriter.AdmlFileName];

    /// <summary>
    /// Problems that make <paramref name="values"/> impossible to write faithfully in <paramref name="format"/>
    /// (a NUL in a registry string, a control character XML cannot carry, duplicate names...). Empty when
    /// <see cref="Write"/> will succeed.
    /// </summary>
    public static IReadOnlyList<Diagnostic> Check(ConfigFormat format, IReadOnlyList<KeyValuePair<string, string>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var problems = new List<Diagnostic>();
        var registry = format is ConfigFormat.Reg or ConfigFormat.PowerShell;
        var seen = new HashSet<string>(registry ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        void Problem(string code, string key, string message, string fix)
            => problems.Add(new Diagnostic(DiagnosticSeverity.Error, code, message, key, null, fix));

        foreach (var (key, value) in values)
        {
            if (key is null || value is null)
            {
                throw new ArgumentException("Keys and values must not be null.", nameof(values));
            }

            if (key.Length == 0)
            {
                Problem(FormatDiagnosticCodes.NotRepresentable, key, "A key has an empty name.", "Give every value a key name.");
                continue;
            }

            if (!seen.Add(key))
            {
                Problem(FormatDiagnosticCodes.DuplicateExportKey, key,
                    registry ? $"\"{key}\" appears twice (registry value names ignore case)." : $"\"{key}\" appears twice.", "Keep one value per key.");
            }

            if (format == ConfigFormat.MobileConfig && key.StartsWith("Payload", StringComparison.Ordinal))
            {
                Problem(FormatDiagnosticCodes.NotRepresentable, key, $"\"{key}\" collides with the profile's own Payload* keys.", "Rename the key.");
            }

            foreach (var (text, what) in new[] { (key, "name"), (value, "value") })
            {
                var bad = FirstUnrepresentable(text, format, what == "name");
                if (bad is not null)
                {
                    Problem(FormatDiagnosticCodes.NotRepresentable, key, $"The {what} of \"{Shorten(key)}\" contains {bad}, which a {Name(format)} cannot carry.",
                        "Remove the character from the value.");
                    break;
                }
            }
        }

        return problems;
    }

    /// <summary>
    /// Writes <paramref name="values"/> in <paramref name="format"/>. Throws <see cref="ArgumentException"/> when
    /// <see cref="Check"/> reports a problem, or for <see cref="ConfigFormat.Admx"/> (use <see cref="WriteAdmx"/>) and
    /// <see cref="ConfigFormat.ConfigLibrary"/> (use <see cref="WriteConfigLibrary"/>), which are several files.
    /// </summary>
    public static byte[] Write(ConfigFormat format, IReadOnlyList<KeyValuePair<string, string>> values, ExportOptions? options = null)
    {
        options ??= ExportOptions.Default;
        var problems = Check(format, values);
        if (problems.Count > 0)
        {
            throw new ArgumentException(problems[0].Message, nameof(values));
        }

        return format switch
        {
            ConfigFormat.LinuxJson => JsonConfigWriter.Write(values, options),
            ConfigFormat.MobileConfig => PlistWriter.WriteProfile(values, options),
            ConfigFormat.Plist => PlistWriter.WritePlain(values),
            ConfigFormat.Reg => RegFileWriter.Write(values, options),
            ConfigFormat.PowerShell => PowerShellWriter.Write(values, options),
            ConfigFormat.Admx => throw new ArgumentException("ADMX/ADML is two files of schema; call WriteAdmx.", nameof(format)),
            ConfigFormat.ConfigLibrary => throw new ArgumentException("A configLibrary is a folder; call WriteConfigLibrary.", nameof(format)),
            _ => throw new ArgumentOutOfRangeException(nameof(format)),
        };
    }

    /// <summary>
    /// The Group Policy templates for the catalogue: <c>claude.admx</c> and <c>en-US/claude.adml</c> (paths
    /// relative to a PolicyDefinitions folder). Schema only; independent of any values.
    /// </summary>
    public static IReadOnlyDictionary<string, byte[]> WriteAdmx(ExportOptions? options = null) => AdmxWriter.Write(options ?? ExportOptions.Default);

    /// <summary>
    /// A configLibrary folder's files (<c>_meta.json</c> and <c>&lt;id&gt;.json</c>) applying one configuration, as the
    /// in-app "Apply locally" leaves it.
    /// </summary>
    public static IReadOnlyDictionary<string, byte[]> WriteConfigLibrary(IReadOnlyList<KeyValuePair<string, string>> values, string id, string name, ExportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(name);
        if (id.IndexOfAny(['/', '\\', '\0']) >= 0 || id.Contains("..", StringComparison.Ordinal) || id == "_meta")
        {
            throw new ArgumentException("The id must be a plain file name.", nameof(id));
        }

        var entry = Write(ConfigFormat.LinuxJson, values, options);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("appliedId", id);
            writer.WriteStartArray("entries");
            writer.WriteStartObject();
            writer.WriteString("id", id);
            writer.WriteString("name", name);
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
        return new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            [ConfigLibraryReader.MetaFileName] = stream.ToArray(),
            [id + ".json"] = entry,
        };
    }

    private static string? FirstUnrepresentable(string text, ConfigFormat format, bool isName)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                return "an unpaired surrogate (invalid UTF-16)";
            }

            var xml = format is ConfigFormat.MobileConfig or ConfigFormat.Plist;
            var registry = format is ConfigFormat.Reg or ConfigFormat.PowerShell;
            if (c == '\0' && (xml || registry))
            {
                return "a NUL character";
            }

            if (xml && ((c < 0x20 && c is not '\t' and not '\n' and not '\r') || c is '\uFFFE' or '\uFFFF'))
            {
                return $"the control character U+{(int)c:X4}";
            }

            if (registry && isName && c < 0x20)
            {
                return $"the control character U+{(int)c:X4}";
            }
        }

        return null;
    }

    private static string Name(ConfigFormat format) => format switch
    {
        ConfigFormat.LinuxJson => "JSON file",
        ConfigFormat.MobileConfig => "configuration profile",
        ConfigFormat.Plist => "property list",
        ConfigFormat.Reg => ".reg file",
        ConfigFormat.PowerShell => "PowerShell script",
        _ => format.ToString(),
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
