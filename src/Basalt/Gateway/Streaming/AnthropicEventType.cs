using System.Text.Json;

namespace Basalt.Gateway.Streaming;

/// <summary>The Anthropic stream event types (bedrock-and-clients §1), read without allocating from the event's <c>type</c>.</summary>
internal static class AnthropicEventType
{
    public const string MessageStart = "message_start";
    public const string ContentBlockStart = "content_block_start";
    public const string ContentBlockDelta = "content_block_delta";
    public const string ContentBlockStop = "content_block_stop";
    public const string MessageDelta = "message_delta";
    public const string MessageStop = "message_stop";
    public const string Ping = "ping";
    public const string Error = "error";
    public const string Unknown = "unknown";

    /// <summary>The event's top-level <c>type</c> (Bedrock writes it first, so this usually reads one property).</summary>
    public static string Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return Unknown;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals("type"u8))
                {
                    reader.Read();
                    reader.Skip();
                    continue;
                }

                reader.Read();
                return reader.TokenType != JsonTokenType.String ? Unknown
                    : reader.ValueTextEquals("content_block_delta"u8) ? ContentBlockDelta
                    : reader.ValueTextEquals("content_block_start"u8) ? ContentBlockStart
                    : reader.ValueTextEquals("content_block_stop"u8) ? ContentBlockStop
                    : reader.ValueTextEquals("message_start"u8) ? MessageStart
                    : reader.ValueTextEquals("message_delta"u8) ? MessageDelta
                    : reader.ValueTextEquals("message_stop"u8) ? MessageStop
                    : reader.ValueTextEquals("ping"u8) ? Ping
                    : reader.ValueTextEquals("error"u8) ? Error
                    : reader.GetString() ?? Unknown;
            }
        }
        catch (JsonException)
        {
            return Unknown;
        }

        return Unknown;
    }
}
