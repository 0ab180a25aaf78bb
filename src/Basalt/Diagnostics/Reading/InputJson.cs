using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Basalt.Diagnostics.Reading;

/// <summary>
/// Writes an <see cref="InputNode"/> tree as compact JSON, the way YAML 1.2's core schema reads it: plain
/// <c>true</c>/<c>false</c>, numbers and <c>null</c> become JSON literals, quoted scalars stay strings. Used for
/// YAML values that travel as JSON (a deployment file's JSON-valued managed-configuration keys, an emulator
/// reply's tool input). Scalars are read through the <see cref="FieldReader"/>, so references are resolved and a
/// value that came from one marks the result secret. The tree was built within <see cref="InputLimits"/>, so the
/// recursion below is at most <see cref="InputLimits.MaxDepth"/> deep.
/// </summary>
public static class InputJson
{
    public static FieldValue? Write(FieldReader reader, InputNode node, string path, JavaScriptEncoder? encoder = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(node);
        var secret = false;
        var ok = true;
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = encoder }))
        {
            Write(reader, writer, node, path, ref secret, ref ok);
        }

        return ok ? new FieldValue(Encoding.UTF8.GetString(buffer.ToArray()), node.Location, secret) : null;
    }

    private static void Write(FieldReader reader, Utf8JsonWriter writer, InputNode node, string path, ref bool secret, ref bool ok)
    {
        switch (node.Kind)
        {
            case InputNodeKind.Mapping:
                writer.WriteStartObject();
                foreach (var (k, v) in node.Entries)
                {
                    writer.WritePropertyName(k.Scalar ?? string.Empty);
                    Write(reader, writer, v, FieldReader.Join(path, k.Scalar ?? string.Empty), ref secret, ref ok);
                }

                writer.WriteEndObject();
                break;
            case InputNodeKind.Sequence:
                writer.WriteStartArray();
                for (var i = 0; i < node.Items.Count; i++)
                {
                    Write(reader, writer, node.Items[i], $"{path}[{i}]", ref secret, ref ok);
                }

                writer.WriteEndArray();
                break;
            default:
                if (node.IsNull)
                {
                    writer.WriteNullValue();
                }
                else if (node.IsPlain && node.Scalar is "true" or "false")
                {
                    writer.WriteBooleanValue(node.Scalar == "true");
                }
                else if (node.IsPlain && long.TryParse(node.Scalar, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
                {
                    writer.WriteNumberValue(l);
                }
                else if (node.IsPlain && double.TryParse(node.Scalar, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
                {
                    writer.WriteNumberValue(d);
                }
                else if (reader.Scalar(node, path) is { } value)
                {
                    secret |= value.IsSecret;
                    writer.WriteStringValue(value.Value);
                }
                else
                {
                    ok = false;
                    writer.WriteNullValue();
                }

                break;
        }
    }
}
