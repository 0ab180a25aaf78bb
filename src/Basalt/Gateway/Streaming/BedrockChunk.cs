using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using Basalt.Aws.EventStream;

namespace Basalt.Gateway.Streaming;

/// <summary>
/// Reads the Anthropic event out of a Bedrock data frame: payload <c>{"bytes":"&lt;base64&gt;"}</c>
/// (some servers add a padding field <c>"p"</c>), decoded into a pooled buffer the caller returns.
/// </summary>
internal static class BedrockChunk
{
    public static bool IsChunk(EventStreamMessage frame) => frame.MessageType == "event" && frame.EventType == "chunk";

    /// <summary>Decodes the event JSON; the returned array is rented from <see cref="ArrayPool{T}.Shared"/> (length in <paramref name="length"/>).</summary>
    public static byte[]? Decode(ReadOnlySpan<byte> payload, out int length)
    {
        length = 0;
        var reader = new Utf8JsonReader(payload);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isBytes = reader.ValueTextEquals("bytes"u8);
            if (!reader.Read())
            {
                return null;
            }

            if (!isBytes)
            {
                reader.Skip();
                continue;
            }

            if (reader.TokenType != JsonTokenType.String)
            {
                return null;
            }

            ReadOnlySpan<byte> encoded = reader.ValueIsEscaped ? System.Text.Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan;
            var rented = ArrayPool<byte>.Shared.Rent(Base64.GetMaxDecodedFromUtf8Length(encoded.Length));
            if (Base64.DecodeFromUtf8(encoded, rented, out _, out length) != OperationStatus.Done)
            {
                ArrayPool<byte>.Shared.Return(rented);
                length = 0;
                return null;
            }

            return rented;
        }

        return null;
    }

    /// <summary>A data frame carrying <paramref name="eventJson"/> as Bedrock sends it: <c>{"bytes":"&lt;base64&gt;"}</c>.</summary>
    public static EventStreamMessage Encode(ReadOnlySpan<byte> eventJson)
    {
        var payload = new byte[12 + Base64.GetMaxEncodedToUtf8Length(eventJson.Length) + 2];
        "{\"bytes\":\""u8.CopyTo(payload);
        Base64.EncodeToUtf8(eventJson, payload.AsSpan(10), out _, out var written);
        "\"}"u8.CopyTo(payload.AsSpan(10 + written));
        return EventStreamMessage.Event("chunk", payload.AsMemory(0, 12 + written));
    }

    /// <summary>The <c>message</c> of an exception frame's JSON payload.</summary>
    public static string? ExceptionMessage(EventStreamMessage frame)
    {
        try
        {
            using var doc = JsonDocument.Parse(frame.Payload);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
