using System.Text.Json;
using System.Xml;
using Basalt.Diagnostics;
using Basalt.Diagnostics.Reading;

namespace Basalt.ManagedConfig.Formats;

/// <summary>
/// Reads back every file Basalt generates, with the matching reader of Basalt, before it is written to disk
/// (issue 14: a profile with a control character in its organization name used to be written, and then refused
/// by xmllint and by <c>basalt config lint</c>). The reader is chosen by file name: managed-configuration
/// formats go through <see cref="ManagedConfigReader"/>, other JSON through a strict JSON parser, ADMX/ADML and
/// other XML through an XML reader with DTDs prohibited, YAML through <see cref="YamlInputReader"/>, and every
/// other text file must be UTF-8 without NUL.
/// </summary>
public static class WrittenFileValidator
{
    /// <summary>Errors found reading <paramref name="content"/> back as <paramref name="relativePath"/>'s format; empty when it reads cleanly.</summary>
    public static IReadOnlyList<Diagnostic> Validate(string relativePath, ReadOnlySpan<byte> content)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        var name = relativePath[(relativePath.LastIndexOf('/') + 1)..];
        var extension = Path.GetExtension(name).ToLowerInvariant();
        var format = name switch
        {
            "managed-settings.json" => ConfigFormat.LinuxJson,
            "install-policy.ps1" => ConfigFormat.PowerShell,
            _ => extension switch
            {
                ".mobileconfig" => ConfigFormat.MobileConfig,
                ".plist" => (ConfigFormat?)ConfigFormat.Plist,
                ".reg" => ConfigFormat.Reg,
                _ => null,
            },
        };
        if (format is { } managed)
        {
            return Validate(managed, relativePath, content);
        }

        try
        {
            switch (extension)
            {
                case ".json":
                    using (JsonDocument.Parse(content.ToArray(), new JsonDocumentOptions { MaxDepth = InputLimits.Default.MaxDepth }))
                    {
                    }

                    return [];
                case ".xml" or ".admx" or ".adml":
                    var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, CheckCharacters = true };
                    using (var reader = XmlReader.Create(new MemoryStream(content.ToArray()), settings))
                    {
                        while (reader.Read())
                        {
                        }
                    }

                    return [];
                case ".yaml" or ".yml":
                    var diagnostics = new List<Diagnostic>();
                    var codes = new InputCodes(FormatDiagnosticCodes.InternalError, FormatDiagnosticCodes.InternalError, FormatDiagnosticCodes.Empty,
                        FormatDiagnosticCodes.InternalError, FormatDiagnosticCodes.InternalError, FormatDiagnosticCodes.InternalError, FormatDiagnosticCodes.InternalError);
                    YamlInputReader.Read(content, relativePath, codes, InputLimits.Default, diagnostics);
                    return [.. diagnostics.Where(d => d.IsError).Select(d => Wrap(relativePath, d.ToString()))];
                default:
                    return TextOnly(relativePath, content, extension);
            }
        }
        catch (Exception ex) when (ex is JsonException or XmlException)
        {
            return [Wrap(relativePath, ex.Message)];
        }
    }

    /// <summary>Errors found reading <paramref name="content"/> back as <paramref name="format"/>, whatever the file is called.</summary>
    public static IReadOnlyList<Diagnostic> Validate(ConfigFormat format, string name, ReadOnlySpan<byte> content)
    {
        ArgumentNullException.ThrowIfNull(name);
        var read = ManagedConfigReader.Read(content, format, name);
        return [.. read.ParseDiagnostics.Where(d => d.IsError).Select(d => Wrap(name, d.Message))];
    }

    private static IReadOnlyList<Diagnostic> TextOnly(string relativePath, ReadOnlySpan<byte> content, string extension)
    {
        // Binaries shipped in packages (the helper) are copied as they are.
        if (extension is ".exe" or "" && content.IndexOf((byte)0) >= 0)
        {
            return [];
        }

        if (!System.Text.Unicode.Utf8.IsValid(content))
        {
            return [Wrap(relativePath, "the text is not valid UTF-8")];
        }

        return content.IndexOf((byte)0) >= 0 ? [Wrap(relativePath, "the text contains a NUL character")] : [];
    }

    private static Diagnostic Wrap(string relativePath, string problem)
        => new(DiagnosticSeverity.Error, FormatDiagnosticCodes.GeneratedFileInvalid,
            $"the generated file does not read back cleanly with Basalt's own reader: {problem}; it was not written",
            Key: relativePath, Location: new SourceLocation(relativePath),
            Fix: "this is a Basalt bug or a value with characters the format cannot carry; check the values that end up in this file and report it");
}
