using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Basalt.Diagnostics.Reading;

namespace Basalt.Deployment;

/// <summary>
/// Converts a YAML list or mapping into the compact JSON text that a JSON-valued managed-configuration key
/// carries on the wire. Plain <c>true</c>/<c>false</c>/numbers/<c>null</c> become JSON literals; quoted scalars
/// stay strings. Secret references inside are resolved and mark the whole value secret.
/// </summary>
internal static class DeploymentJson
{
    /// <summary>JSON text for generated files: relaxed escaping (no HTML context), so URLs and '+' stay readable.</summary>
    public static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    public static FieldValue? FromNode(FieldReader context, InputNode node, string path)
    {
        var secret = false;
        var ok = true;
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Encoder }))
        {
            Write(context, writer, node, path, ref secret, ref ok);
        }

        return ok ? new FieldValue(Encoding.UTF8.GetString(buffer.ToArray()), node.Location, secret) : null;
    }

    private static void Write(FieldReader context, Utf8JsonWriter writer, InputNode node, string path, ref bool secret, ref bool ok)
    {
        switch (node.Kind)
        {
            case InputNodeKind.Mapping:
                writer.WriteStartObject();
                foreach (var (k, v) in node.Entries)
                {
                    writer.WritePropertyName(k.Scalar ?? string.Empty);
                    Write(context, writer, v, FieldReader.Join(path, k.Scalar ?? string.Empty), ref secret, ref ok);
                }

                writer.WriteEndObject();
                break;
            case InputNodeKind.Sequence:
                writer.WriteStartArray();
                for (var i = 0; i < node.Items.Count; i++)
                {
                    Write(context, writer, node.Items[i], $"{path}[{i}]", ref secret, ref ok);
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
                else if (context.Scalar(node, path) is { } value)
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
