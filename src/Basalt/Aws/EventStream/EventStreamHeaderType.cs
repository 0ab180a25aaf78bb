namespace Basalt.Aws.EventStream;

/// <summary>The wire type byte of an event-stream header value (spec bedrock-and-clients §1, "Streaming").</summary>
public enum EventStreamHeaderType : byte
{
    BoolTrue = 0,
    BoolFalse = 1,
    Byte = 2,
    Short = 3,
    Integer = 4,
    Long = 5,
    ByteArray = 6,
    String = 7,
    Timestamp = 8,
    Uuid = 9,
}
