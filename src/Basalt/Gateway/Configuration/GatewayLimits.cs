namespace Basalt.Gateway.Configuration;

/// <summary>Request limits, each refused with a clear error (issue 8 item 6).</summary>
public sealed record GatewayLimits
{
    /// <summary>Bedrock's own body limit (bedrock-and-clients §1): 25,000,000 bytes.</summary>
    public long MaxBodyBytes { get; init; } = 25_000_000;

    public int MaxHeaderBytes { get; init; } = 64 * 1024;

    /// <summary>Whole-request deadline, streams included.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long an upstream may take to send its first byte before the gateway tries the next one.</summary>
    public TimeSpan FirstByteTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a stream may stay silent after its first byte before the gateway ends it with an error event and
    /// cancels the upstream call (issue 8 item 8). Bedrock sends events while a model thinks or writes, so a long
    /// silence means a stalled upstream, not a slow answer.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public int MaxConcurrentStreams { get; init; } = 4096;

    /// <summary>How long SIGTERM waits for in-flight streams before cancelling them.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
