using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Basalt.Policy.Pii;

namespace Basalt.Gateway.Policy;

/// <summary>
/// The answer side of a group's content policy (issue 12 items 1–3): text deltas go through the PII stream filter
/// (secrets masked, placeholders restored) per content block; a Bedrock guardrail intervention becomes Anthropic's
/// own refusal shape (<c>stop_reason: "refusal"</c>) with the Bedrock-only marker removed; and, when the group
/// archives, the answer text is collected for the archive. Events it does not need to change pass as they came.
/// </summary>
internal sealed class AnswerFilter
{
    /// <summary>Bedrock's marker of a guardrail intervention in an InvokeModel body or stream chunk (UNCONFIRMED
    /// shape for the Anthropic body; docs/spec-corrections.md).</summary>
    internal const string GuardrailActionField = "amazon-bedrock-guardrailAction";

    private static ReadOnlySpan<byte> GuardrailMarker => "amazon-bedrock-guardrailAction"u8;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly PiiMaskingSession? _restore;
    private readonly PiiScanner? _secrets;
    private readonly Dictionary<int, PiiStreamFilter> _blocks = [];
    private readonly StringBuilder? _answer;
    private readonly bool _anthropicRefusal;

    /// <param name="anthropicRefusal">
    /// True for Anthropic-format clients: a guardrail intervention becomes <c>stop_reason: "refusal"</c> without
    /// Bedrock's fields. False for Bedrock-format clients, who read Bedrock's own guardrail marker: those fields and
    /// the stop reason pass as they came, and only text is filtered (and collected for the archive).
    /// </param>
    public AnswerFilter(PiiMaskingSession? restore, PiiScanner? secrets, bool collectAnswer, bool anthropicRefusal = true)
    {
        _restore = restore;
        _secrets = secrets;
        _answer = collectAnswer ? new StringBuilder() : null;
        _anthropicRefusal = anthropicRefusal;
    }

    /// <summary>The guardrail intervened in this answer.</summary>
    public bool GuardrailIntervened { get; private set; }

    /// <summary>The answer text as the client received it (only when collecting for the archive).</summary>
    public string Answer => _answer?.ToString() ?? string.Empty;

    /// <summary>Secrets masked in the answer, by rule.</summary>
    public Dictionary<string, int> SecretsMasked { get; } = new(StringComparer.Ordinal);

    private bool FiltersText => _restore is not null || _secrets is not null;

    /// <summary>
    /// One stream event's JSON → the JSON(s) to send instead (usually one; a block's held-back text goes out as an
    /// extra delta before its <c>content_block_stop</c>). Returns null when the event passes unchanged.
    /// </summary>
    public List<byte[]>? TransformEvent(string type, ReadOnlySpan<byte> json)
    {
        switch (type)
        {
            case "content_block_delta" when FiltersText || _answer is not null:
            {
                using var doc = JsonDocument.Parse(json.ToArray());
                var root = doc.RootElement;
                if (!root.TryGetProperty("delta", out var delta) || !delta.TryGetProperty("type", out var dt) || dt.GetString() != "text_delta")
                {
                    return null;
                }

                var index = root.TryGetProperty("index", out var i) ? i.GetInt32() : 0;
                var text = delta.GetProperty("text").GetString() ?? string.Empty;
                var output = FiltersText ? Filter(index).Push(text) : text;
                _answer?.Append(output);
                return FiltersText ? [TextDelta(index, output)] : null;
            }

            case "content_block_stop" when FiltersText:
            {
                using var doc = JsonDocument.Parse(json.ToArray());
                var index = doc.RootElement.TryGetProperty("index", out var i) ? i.GetInt32() : 0;
                if (!_blocks.Remove(index, out var filter))
                {
                    return null;
                }

                var rest = filter.Flush();
                Count(filter);
                _answer?.Append(rest);
                return rest.Length == 0 ? null : [TextDelta(index, rest), json.ToArray()];
            }

            case "message_delta":
            {
                if (json.IndexOf(GuardrailMarker) < 0)
                {
                    return null;
                }

                if (!_anthropicRefusal)
                {
                    // Bedrock's bytes for a Bedrock client; the intervention is still audited.
                    NoteGuardrail(json);
                    return null;
                }

                using var doc = JsonDocument.Parse(json.ToArray());
                return [Rewrite(doc.RootElement, content: null)];
            }

            default:
                return null;
        }
    }

    /// <summary>A whole non-stream message JSON → the JSON to send (null when unchanged).</summary>
    public byte[]? TransformMessage(ReadOnlySpan<byte> json)
    {
        var guardrail = json.IndexOf(GuardrailMarker) >= 0;
        if (!FiltersText && _answer is null && !(guardrail && _anthropicRefusal))
        {
            if (guardrail)
            {
                // A Bedrock client's answer passes as it came; the intervention is still audited.
                NoteGuardrail(json);
            }

            return null;
        }

        using var doc = JsonDocument.Parse(json.ToArray());
        return Rewrite(doc.RootElement, WriteContent);
    }

    /// <summary>
    /// An Anthropic message or event, written without Bedrock's guardrail fields, with <c>stop_reason</c> (also inside
    /// a <c>delta</c>) set to <c>refusal</c> when the guardrail intervened, and <c>content</c> given to
    /// <paramref name="content"/> when there is one. Used for a whole message and for a <c>message_delta</c> event.
    /// </summary>
    private byte[] Rewrite(JsonElement root, Action<Utf8JsonWriter, JsonElement>? content)
    {
        NoteGuardrail(root);
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteObject(writer, root, content);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private void NoteGuardrail(ReadOnlySpan<byte> json)
    {
        using var doc = JsonDocument.Parse(json.ToArray());
        NoteGuardrail(doc.RootElement);
    }

    private void NoteGuardrail(JsonElement root) =>
        GuardrailIntervened |= root.TryGetProperty(GuardrailActionField, out var action) && action.GetString() == "INTERVENED";

    private void WriteObject(Utf8JsonWriter writer, JsonElement element, Action<Utf8JsonWriter, JsonElement>? content)
    {
        writer.WriteStartObject();
        foreach (var property in element.EnumerateObject())
        {
            if (_anthropicRefusal && (property.NameEquals(GuardrailActionField) || property.NameEquals("amazon-bedrock-trace")))
            {
                continue;
            }

            if (property.NameEquals("stop_reason") && GuardrailIntervened && _anthropicRefusal)
            {
                writer.WriteString("stop_reason", "refusal");
            }
            else if (property.NameEquals("delta") && property.Value.ValueKind == JsonValueKind.Object)
            {
                writer.WritePropertyName("delta");
                WriteObject(writer, property.Value, null);
            }
            else if (property.NameEquals("content") && property.Value.ValueKind == JsonValueKind.Array && content is not null)
            {
                writer.WritePropertyName("content");
                content(writer, property.Value);
            }
            else
            {
                property.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>A non-stream message's content blocks, text blocks filtered (and collected for the archive).</summary>
    private void WriteContent(Utf8JsonWriter writer, JsonElement blocks)
    {
        writer.WriteStartArray();
        var index = 0;
        foreach (var block in blocks.EnumerateArray())
        {
            if (block.TryGetProperty("type", out var t) && t.GetString() == "text" && block.TryGetProperty("text", out var text))
            {
                var filtered = text.GetString() ?? string.Empty;
                if (FiltersText)
                {
                    var filter = Filter(index);
                    filtered = filter.Push(filtered) + filter.Flush();
                    Count(filter);
                    _blocks.Remove(index);
                }

                _answer?.Append(filtered);
                writer.WriteStartObject();
                foreach (var p in block.EnumerateObject())
                {
                    if (p.NameEquals("text"))
                    {
                        writer.WriteString("text", filtered);
                    }
                    else
                    {
                        p.WriteTo(writer);
                    }
                }

                writer.WriteEndObject();
            }
            else
            {
                block.WriteTo(writer);
            }

            index++;
        }

        writer.WriteEndArray();
    }

    private PiiStreamFilter Filter(int index)
    {
        if (!_blocks.TryGetValue(index, out var filter))
        {
            filter = new PiiStreamFilter(_restore, _secrets);
            _blocks[index] = filter;
        }

        return filter;
    }

    private void Count(PiiStreamFilter filter)
    {
        foreach (var (rule, n) in filter.SecretsMasked)
        {
            SecretsMasked[rule] = SecretsMasked.GetValueOrDefault(rule) + n;
        }
    }

    private static byte[] TextDelta(int index, string text)
    {
        var buffer = new ArrayBufferWriter<byte>(text.Length + 80);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "content_block_delta");
            writer.WriteNumber("index", index);
            writer.WriteStartObject("delta");
            writer.WriteString("type", "text_delta");
            writer.WriteString("text", text);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
