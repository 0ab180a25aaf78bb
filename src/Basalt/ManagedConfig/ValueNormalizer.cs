using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Basalt.ManagedConfig;

/// <summary>
/// The meaning of a wire value, as comparable text: <c>"1"</c> and <c>"true"</c> are the same boolean, a
/// REG_DWORD 3600 and the string "3600" the same integer, and JSON documents compare with object members sorted
/// (array order is kept: the first model is the default). Used by <c>config diff</c> across formats.
/// </summary>
internal static class ValueNormalizer
{
    public static string Normalize(string key, string value)
    {
        var def = KeyCatalogue.Find(key);
        var v = value.Trim();
        if (def is null)
        {
            return v;
        }

        switch (def.ValueType)
        {
            case ConfigValueType.Boolean:
                return v switch { "1" => "true", "0" => "false", _ => v };
            case ConfigValueType.Integer when long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i):
                return i.ToString(CultureInfo.InvariantCulture);
            case ConfigValueType.Number when double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d):
                return d.ToString("R", CultureInfo.InvariantCulture);
            default:
                if (def.IsJson && (v.StartsWith('{') || v.StartsWith('[')))
                {
                    try
                    {
                        using var doc = JsonDocument.Parse(v);
                        using var stream = new MemoryStream();
                        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                        {
                            WriteSorted(writer, doc.RootElement);
                        }

                        return Encoding.UTF8.GetString(stream.ToArray());
                    }
                    catch (JsonException)
                    {
                        return v;
                    }
                }

                return v;
        }
    }

    private static void WriteSorted(Utf8JsonWriter writer, JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var p in e.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(p.Name);
                    WriteSorted(writer, p.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in e.EnumerateArray())
                {
                    WriteSorted(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                e.WriteTo(writer);
                break;
        }
    }
}
