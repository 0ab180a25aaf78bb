using System.Text;
using System.Text.Json;
using Basalt.Diagnostics;

namespace Basalt.ManagedConfig.Formats;

/// <summary>
/// Reads the JSON sources: the Linux managed file (keys at top level, native JSON allowed, §1.1), a configLibrary
/// entry file and the legacy <c>claude_desktop_config.json</c> whose values sit under <c>enterpriseConfig</c> (§1.2).
/// The app parses these with a strict JSON parser, so comments and trailing commas are errors here too.
/// </summary>
internal static class JsonConfigReader
{
    /// <summary>The legacy local file's wrapper key (§1.2 history).</summary>
    public const string LegacyWrapper = "enterpriseConfig";

    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        CommentHandling = JsonCommentHandling.Disallow,
        AllowTrailingCommas = false,
        MaxDepth = 64,
    };

    /// <param name="local">
    /// True for user-authored sources (configLibrary entries, the legacy file), where an <c>enterpriseConfig</c>
    /// wrapper is how values are stored; false for the managed Linux file, where a wrapper hides every key.
    /// </param>
    public static List<ConfigEntry> Read(ReadOnlySpan<byte> bytes, bool local, string? scope, DiagnosticBag diagnostics)
    {
        if (bytes.StartsWith(ByteOrderMarks.Utf8))
        {
            diagnostics.Warning(FormatDiagnosticCodes.JsonByteOrderMark, 1, "The file starts with a UTF-8 byte-order mark, which strict JSON parsers reject.",
                "Save the file as UTF-8 without BOM.");
            bytes = bytes[3..];
        }

        var index = LineIndex.FromBytes(bytes);
        var invalidAt = FindInvalidUtf8(bytes);
        if (invalidAt >= 0)
        {
            var (line, column) = index.Locate(invalidAt);
            diagnostics.Error(FormatDiagnosticCodes.JsonEncoding, line, $"The file is not valid UTF-8 (byte 0x{bytes[invalidAt]:X2} at offset {invalidAt}).",
                "Save the file as UTF-8; JSON files must be UTF-8.", column: column);
            return [];
        }

        if (bytes.Trim(" \t\r\n"u8).IsEmpty)
        {
            diagnostics.Error(FormatDiagnosticCodes.Empty, 1, "The file is empty.", "Write a JSON object of keys, e.g. {\"inferenceProvider\": \"bedrock\"}.");
            return [];
        }

        var reader = new Utf8JsonReader(bytes, isFinalBlock: true, new JsonReaderState(ReaderOptions));
        var topLevel = new LastWinsList<ConfigEntry>();
        LastWinsList<ConfigEntry>? wrapped = null;
        try
        {
            reader.Read();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                var (line, column) = index.Locate(reader.TokenStartIndex);
                diagnostics.Error(FormatDiagnosticCodes.JsonNotObject, line,
                    $"The document is a JSON {Describe(reader.TokenType)}, but managed configuration is a JSON object of keys.",
                    "Wrap the keys in one object: {\"inferenceProvider\": \"bedrock\", ...}.", column: column);
                return [];
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var (line, column) = index.Locate(reader.TokenStartIndex);
                var name = reader.GetString()!;
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject && IsWrapper(name))
                {
                    if (local && name == LegacyWrapper)
                    {
                        wrapped ??= new LastWinsList<ConfigEntry>();
                        ReadMembers(ref reader, bytes, index, wrapped, scope ?? LegacyWrapper, diagnostics);
                        continue;
                    }

                    diagnostics.Error(FormatDiagnosticCodes.JsonWrongLevel, line,
                        $"The keys are nested under \"{name}\", but the managed file is read at top level only; none of them is read.",
                        $"Move every key out of \"{name}\" to the top level of the file.", name, scope, column);
                    reader.Skip();
                    continue;
                }

                Add(topLevel, ReadValue(ref reader, bytes, name, line, column, scope), diagnostics);
            }

            // A second top-level value or trailing garbage is a syntax error for JSON.parse.
            reader.Read();
        }
        catch (JsonException ex)
        {
            var line = (int)(ex.LineNumber ?? 0) + 1;
            var column = (int)(ex.BytePositionInLine ?? 0) + 1;
            diagnostics.Error(FormatDiagnosticCodes.JsonSyntax, line, "Invalid JSON: " + CleanMessage(ex.Message),
                "Correct the JSON at that position. The app uses a strict parser: no comments, no trailing commas, double-quoted strings.", column: column);
            return [];
        }
        catch (InvalidOperationException ex)
        {
            // GetString on a string with an invalid escape or surrogate.
            var (line, column) = index.Locate(reader.TokenStartIndex);
            diagnostics.Error(FormatDiagnosticCodes.JsonSyntax, line, "Invalid JSON string: " + ex.Message,
                "Correct the string escapes at that position.", column: column);
            return [];
        }

        if (wrapped is not null)
        {
            // Legacy file: only enterpriseConfig is managed configuration; the rest are ordinary app settings.
            return wrapped.ToList();
        }

        return topLevel.ToList();
    }

    private static void ReadMembers(ref Utf8JsonReader reader, ReadOnlySpan<byte> bytes, LineIndex index, LastWinsList<ConfigEntry> into, string scope, DiagnosticBag diagnostics)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var (line, column) = index.Locate(reader.TokenStartIndex);
            var name = reader.GetString()!;
            reader.Read();
            Add(into, ReadValue(ref reader, bytes, name, line, column, scope), diagnostics);
        }
    }

    private static ConfigEntry ReadValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> bytes, string name, int line, int column, string? scope)
    {
        var location = new SourceLocation(string.Empty, line, column, scope);
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return new ConfigEntry(name, reader.GetString(), WireType.String, location);
            case JsonTokenType.Number:
                return new ConfigEntry(name, Encoding.UTF8.GetString(reader.ValueSpan), WireType.Number, location);
            case JsonTokenType.True:
                return new ConfigEntry(name, "true", WireType.Boolean, location);
            case JsonTokenType.False:
                return new ConfigEntry(name, "false", WireType.Boolean, location);
            case JsonTokenType.StartObject:
            case JsonTokenType.StartArray:
                var kind = reader.TokenType == JsonTokenType.StartObject ? WireType.NativeObject : WireType.NativeArray;
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                var end = (int)reader.BytesConsumed;
                // The exact source text, so a value exported as native JSON reads back byte-for-byte.
                return new ConfigEntry(name, Encoding.UTF8.GetString(bytes[start..end]), kind, location);
            default:
                return new ConfigEntry(name, null, WireType.Null, location);
        }
    }

    private static void Add(LastWinsList<ConfigEntry> entries, ConfigEntry entry, DiagnosticBag diagnostics)
    {
        entry = entry with { Location = entry.Location with { File = diagnostics.Source } };
        if (entries.Add(entry.Key, entry) is { } previous)
        {
            diagnostics.Warning(FormatDiagnosticCodes.JsonDuplicateKey, entry.Location.Line,
                $"\"{entry.Key}\" is set twice (first at line {previous.Location.Line}); only this last value is used.",
                "Keep one of the two.", entry.Key, entry.Location.Scope, entry.Location.Column);
        }
    }

    private static bool IsWrapper(string name) => name is LegacyWrapper or ManagedConfigReader.PreferenceDomain;

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "array",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        _ => "value",
    };

    private static string CleanMessage(string message)
    {
        // Utf8JsonReader appends its own 0-based position; ours is in the location.
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    private static int FindInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return -1;
        }

        var offset = 0;
        while (offset < bytes.Length)
        {
            if (Rune.DecodeFromUtf8(bytes[offset..], out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return offset;
            }

            offset += consumed;
        }

        return -1;
    }
}
