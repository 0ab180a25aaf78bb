using System.Text;
using System.Text.Json;
using Basalt.Aws.EventStream;

namespace Basalt.Bedrock;

/// <summary>
/// One frame of an InvokeModelWithResponseStream answer, typed: a chunk's <c>bytes</c> base64-decoded into the
/// Anthropic event JSON (spec bedrock-and-clients §1, "Streaming"), or an exception frame. The exact frame stays
/// available in <see cref="RawFrame"/> for pass-through.
/// </summary>
public sealed class BedrockStreamEvent
{
    private string? _eventType;
    private bool _eventTypeRead;

    private BedrockStreamEvent(BedrockStreamEventKind kind, EventStreamMessage frame)
    {
        Kind = kind;
        Frame = frame;
    }

    public BedrockStreamEventKind Kind { get; }

    public EventStreamMessage Frame { get; }

    public ReadOnlyMemory<byte> RawFrame => Frame.RawFrame;

    /// <summary>For a chunk: the Anthropic event JSON (<c>{"type":"content_block_delta",…}</c>).</summary>
    public ReadOnlyMemory<byte> EventJson { get; private init; }

    /// <summary>For an exception frame: <c>:exception-type</c> (or <c>:error-code</c>), e.g. <c>throttlingException</c>.</summary>
    public string? ExceptionType { get; private init; }

    /// <summary>For an exception frame: the payload's <c>message</c>.</summary>
    public string? ErrorMessage { get; private init; }

    /// <summary>The Anthropic event <c>type</c> of a chunk (<c>message_start</c>, <c>content_block_delta</c>…).</summary>
    public string? EventType
    {
        get
        {
            if (!_eventTypeRead)
            {
                _eventType = ReadType(EventJson.Span);
                _eventTypeRead = true;
            }

            return _eventType;
        }
    }

    /// <summary>The text of a <c>content_block_delta</c> whose delta is <c>text_delta</c>; null for any other event.</summary>
    public string? TextDelta()
    {
        if (Kind != BedrockStreamEventKind.Chunk || EventType != "content_block_delta")
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(EventJson.Span);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isDelta = reader.ValueTextEquals("delta"u8);
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                if (isDelta && reader.TokenType == JsonTokenType.EndObject)
                {
                    return ReadStringProperty(EventJson.Span[start..(int)reader.BytesConsumed], "text"u8);
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return null;
    }

    /// <summary>Classifies a decoded frame; a chunk without a decodable <c>bytes</c> field is a format error.</summary>
    public static BedrockStreamEvent From(EventStreamMessage frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var messageType = frame.MessageType;
        if (messageType is "exception" or "error")
        {
            var type = frame.ExceptionType ?? frame.GetString(EventStreamMessage.ErrorCodeHeader) ?? "UnknownError";
            var message = frame.GetString(EventStreamMessage.ErrorMessageHeader) ?? ReadMessage(frame.Payload.Span);
            return new BedrockStreamEvent(BedrockStreamEventKind.Exception, frame) { ExceptionType = type, ErrorMessage = message };
        }

        if (frame.EventType == "chunk")
        {
            return new BedrockStreamEvent(BedrockStreamEventKind.Chunk, frame) { EventJson = DecodeChunk(frame.Payload.Span) };
        }

        return new BedrockStreamEvent(BedrockStreamEventKind.Other, frame);
    }

    /// <summary>An exception frame as a <see cref="BedrockException"/> (<c>throttlingException</c> becomes <c>ThrottlingException</c>).</summary>
    public BedrockException ToException(string operation = "InvokeModelWithResponseStream", int statusCode = 200)
    {
        var type = ExceptionType ?? "UnknownError";
        type = type.Length > 0 ? char.ToUpperInvariant(type[0]) + type[1..] : type;
        return new BedrockException(operation, statusCode, type, ErrorMessage, Encoding.UTF8.GetString(Frame.Payload.Span))
        {
            RawErrorType = ExceptionType,
            IsStreamException = true,
        };
    }

    public override string ToString() => Kind switch
    {
        BedrockStreamEventKind.Chunk => $"chunk {EventType}",
        BedrockStreamEventKind.Exception => $"exception {ExceptionType}: {ErrorMessage}",
        _ => $"event {Frame.EventType}",
    };

    private static byte[] DecodeChunk(ReadOnlySpan<byte> payload)
    {
        try
        {
            var reader = new Utf8JsonReader(payload);
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isBytes = reader.ValueTextEquals("bytes"u8);
                    reader.Read();
                    if (isBytes && reader.TokenType == JsonTokenType.String)
                    {
                        return reader.GetBytesFromBase64();
                    }

                    reader.Skip();
                }
            }
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw new EventStreamException(EventStreamErrorCode.InvalidHeader, "A Bedrock chunk payload is not {\"bytes\":\"<base64>\"}: " + e.Message);
        }

        throw new EventStreamException(EventStreamErrorCode.InvalidHeader, "A Bedrock chunk payload has no \"bytes\" field.");
    }

    private static string? ReadType(ReadOnlySpan<byte> json) => ReadStringProperty(json, "type"u8);

    private static string? ReadMessage(ReadOnlySpan<byte> json) => ReadStringProperty(json, "message"u8) ?? ReadStringProperty(json, "Message"u8);

    private static string? ReadStringProperty(ReadOnlySpan<byte> json, ReadOnlySpan<byte> name)
    {
        if (json.IsEmpty)
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var match = reader.ValueTextEquals(name);
                reader.Read();
                if (match && reader.TokenType == JsonTokenType.String)
                {
                    return reader.GetString();
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return null;
    }
}
