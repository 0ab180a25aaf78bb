namespace Basalt.Aws.EventStream;

/// <summary>What is wrong with an event-stream frame.</summary>
public enum EventStreamErrorCode
{
    PreludeChecksumMismatch,
    MessageChecksumMismatch,
    MessageTooShort,
    MessageTooLong,
    HeadersTooLong,
    InvalidHeader,
    Truncated,
}
