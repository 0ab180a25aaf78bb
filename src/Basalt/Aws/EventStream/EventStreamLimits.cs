namespace Basalt.Aws.EventStream;

/// <summary>
/// Hard limits a decoder enforces before it buffers a frame, so a corrupt or hostile length never causes a
/// large allocation. The defaults are the AWS event-stream limits: 16 MiB per message, 128 KiB of headers.
/// </summary>
public sealed record EventStreamLimits
{
    public const int DefaultMaxMessageLength = 16 * 1024 * 1024;
    public const int DefaultMaxHeadersLength = 128 * 1024;

    public static EventStreamLimits Default { get; } = new();

    public int MaxMessageLength { get; init; } = DefaultMaxMessageLength;

    public int MaxHeadersLength { get; init; } = DefaultMaxHeadersLength;
}
