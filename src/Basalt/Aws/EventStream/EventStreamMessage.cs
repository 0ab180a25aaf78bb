namespace Basalt.Aws.EventStream;

/// <summary>
/// One event-stream message: headers and a payload. A decoded message also keeps its exact wire bytes in
/// <see cref="RawFrame"/> (the payload is a slice of them, so this costs no extra copy) for pass-through.
/// </summary>
public sealed class EventStreamMessage
{
    public const string MessageTypeHeader = ":message-type";
    public const string EventTypeHeader = ":event-type";
    public const string ExceptionTypeHeader = ":exception-type";
    public const string ErrorCodeHeader = ":error-code";
    public const string ErrorMessageHeader = ":error-message";
    public const string ContentTypeHeader = ":content-type";

    public EventStreamMessage(IReadOnlyList<EventStreamHeader> headers, ReadOnlyMemory<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(headers);
        Headers = headers;
        Payload = payload;
    }

    public IReadOnlyList<EventStreamHeader> Headers { get; }

    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>The encoded frame this message was decoded from; empty for messages built in code.</summary>
    public ReadOnlyMemory<byte> RawFrame { get; init; }

    /// <summary><c>:message-type</c>: <c>event</c>, <c>exception</c> or <c>error</c>.</summary>
    public string? MessageType => GetString(MessageTypeHeader);

    public string? EventType => GetString(EventTypeHeader);

    public string? ExceptionType => GetString(ExceptionTypeHeader);

    public string? ContentType => GetString(ContentTypeHeader);

    /// <summary>An AWS event (Bedrock data frame): <c>:message-type</c> event.</summary>
    public static EventStreamMessage Event(string eventType, ReadOnlyMemory<byte> payload, string contentType = "application/json")
        => new(
            [
                new(EventTypeHeader, EventStreamHeaderValue.FromString(eventType)),
                new(ContentTypeHeader, EventStreamHeaderValue.FromString(contentType)),
                new(MessageTypeHeader, EventStreamHeaderValue.FromString("event")),
            ],
            payload);

    /// <summary>A modeled exception frame (e.g. <c>throttlingException</c>) with a JSON payload <c>{"message":...}</c>.</summary>
    public static EventStreamMessage Exception(string exceptionType, ReadOnlyMemory<byte> payload, string contentType = "application/json")
        => new(
            [
                new(ExceptionTypeHeader, EventStreamHeaderValue.FromString(exceptionType)),
                new(ContentTypeHeader, EventStreamHeaderValue.FromString(contentType)),
                new(MessageTypeHeader, EventStreamHeaderValue.FromString("exception")),
            ],
            payload);

    /// <summary>The first header named <paramref name="name"/> (case-sensitive, as on the wire), or null.</summary>
    public EventStreamHeaderValue? GetHeader(string name)
    {
        foreach (var header in Headers)
        {
            if (string.Equals(header.Name, name, StringComparison.Ordinal))
            {
                return header.Value;
            }
        }

        return null;
    }

    /// <summary>The string value of a header, or null when it is absent or not a string.</summary>
    public string? GetString(string name)
        => GetHeader(name) is { Type: EventStreamHeaderType.String } value ? value.AsString() : null;

    public override string ToString() => $"EventStreamMessage {{ {MessageType}:{EventType ?? ExceptionType}, {Headers.Count} headers, {Payload.Length} payload bytes }}";
}
