namespace Basalt.Emulator.Bedrock;

/// <summary>
/// How fast replies are produced: a delay before the first byte (headers and <c>message_start</c>) and a rate in
/// output tokens per second (0 = unpaced). Non-stream responses wait for the same total time.
/// Per request, headers <c>x-basalt-first-byte-delay-ms</c> and <c>x-basalt-tokens-per-second</c> override both.
/// </summary>
internal sealed record PacingOptions(TimeSpan FirstByteDelay, double TokensPerSecond)
{
    public static PacingOptions None { get; } = new(TimeSpan.Zero, 0);
}
