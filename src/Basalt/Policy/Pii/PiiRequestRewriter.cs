using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Basalt.Policy.Pii;

/// <summary>
/// Masks the text a person sent in an Anthropic Messages body (issue 12 item 2: text blocks and tool results, not
/// images): <c>system</c>, and under <c>messages</c> every <c>text</c> field and every string <c>content</c>.
/// Tool-use <c>input</c>, thinking blocks (their signature covers the text; gateway.md §1.4) and image/document
/// <c>source</c> data are left alone. The body is not re-serialized: only the changed strings are spliced in, every
/// other byte is copied as it came (the gateway's rule of surgical translation).
/// </summary>
public static class PiiRequestRewriter
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Masks <paramref name="body"/> with <paramref name="session"/>. Returns null when nothing changed (the caller
    /// keeps its buffer); otherwise the rewritten body. Malformed JSON is returned unchanged (null): the endpoint's
    /// own validation answers it.
    /// </summary>
    public static byte[]? Rewrite(ReadOnlySpan<byte> body, PiiMaskingSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        List<(int Start, int Length, string Masked)>? edits = null;
        try
        {
            Walk(body, session, ref edits);
        }
        catch (JsonException)
        {
            return null;
        }

        if (edits is null)
        {
            return null;
        }

        var output = new ArrayBufferWriter<byte>(body.Length + 256);
        var copied = 0;
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        foreach (var (start, length, masked) in edits)
        {
            output.Write(body[copied..start]);
            writer.WriteStringValue(masked);
            writer.Flush();
            writer.Reset();
            copied = start + length;
        }

        output.Write(body[copied..]);
        return output.WrittenSpan.ToArray();
    }

    private static void Walk(ReadOnlySpan<byte> body, PiiMaskingSession session, ref List<(int, int, string)>? edits)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 64 });
        // Per depth: the property name the container was opened under. Scanning is decided by the top-level section
        // (depth 1) and by whether any ancestor is a no-scan container.
        var skipDepth = int.MaxValue;
        string? topSection = null;
        string? property = null;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    property = reader.GetString();
                    if (reader.CurrentDepth == 1)
                    {
                        topSection = property;
                    }

                    break;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    if (reader.CurrentDepth < skipDepth && property is "input" or "source" or "thinking" or "redacted_thinking" or "signature" or "tools" or "metadata")
                    {
                        skipDepth = reader.CurrentDepth;
                    }

                    property = null;
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    if (reader.CurrentDepth == skipDepth)
                    {
                        skipDepth = int.MaxValue;
                    }

                    property = null;
                    break;
                case JsonTokenType.String:
                    var scan = reader.CurrentDepth < skipDepth
                        && topSection is "system" or "messages"
                        && (property is "text" or "content" || (reader.CurrentDepth == 1 && topSection == "system"));
                    if (scan)
                    {
                        var original = reader.GetString()!;
                        var masked = session.Apply(original);
                        if (!ReferenceEquals(masked, original))
                        {
                            edits ??= [];
                            edits.Add(((int)reader.TokenStartIndex, reader.ValueSpan.Length + 2, masked));
                        }
                    }

                    property = null;
                    break;
                default:
                    property = null;
                    break;
            }
        }
    }
}
