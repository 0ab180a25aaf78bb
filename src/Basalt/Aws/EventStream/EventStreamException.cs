namespace Basalt.Aws.EventStream;

/// <summary>A corrupt, truncated or oversized event-stream frame. The stream cannot continue after it.</summary>
public sealed class EventStreamException : Exception
{
    public EventStreamException()
    {
    }

    public EventStreamException(string message)
        : base(message)
    {
    }

    public EventStreamException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public EventStreamException(EventStreamErrorCode code, string message)
        : base(message) => Code = code;

    public EventStreamErrorCode Code { get; }
}
