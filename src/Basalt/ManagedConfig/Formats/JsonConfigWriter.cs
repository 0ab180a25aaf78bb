using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Basalt.ManagedConfig.Formats;

/// <summary>
/// Writes the Linux managed file (<c>/etc/claude-desktop/managed-settings.json</c>) and configLibrary entry files:
/// keys at top level, no wrapper (cowork3p-reference §1.1). Keys the catalogue types as JSON documents are written
/// as native JSON when their value is a JSON array or object; everything else stays the wire string. The native
/// text is the value's own text, so reading the file back gives the same string.
/// </summary>
internal static class JsonConfigWriter
{
    public static byte[] Write(IReadOnlyList<KeyValuePair<string, string>> values, ExportOptions options)
    {
        var catalogue = options.EffectiveCatalogue;
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Indented = true,
            NewLine = "\n",
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            writer.WriteStartObject();
            foreach (var (key, value) in values)
            {
                writer.WritePropertyName(key);
                if (IsJsonKey(catalogue, key) && IsNativeContainer(value))
                {
                    writer.WriteRawValue(value, skipInputValidation: false);
                }
                else
                {
                    writer.WriteStringValue(value);
                }
            }

            writer.WriteEndObject();
        }

        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    private static bool IsJsonKey(IReadOnlyList<KeyDefinition> catalogue, string key)
    {
        if (ReferenceEquals(catalogue, KeyCatalogue.All))
        {
            return KeyCatalogue.Find(key)?.IsJson == true;
        }

        foreach (var k in catalogue)
        {
            if (k.Name == key)
            {
                return k.IsJson;
            }
        }

        return false;
    }

    /// <summary>A strict JSON array or object with no surrounding whitespace (which native JSON would not keep).</summary>
    private static bool IsNativeContainer(string value)
    {
        if (value.Length < 2 || !((value[0] == '[' && value[^1] == ']') || (value[0] == '{' && value[^1] == '}')))
        {
            return false;
        }

        try
        {
            using var _ = JsonDocument.Parse(value, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 });
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
