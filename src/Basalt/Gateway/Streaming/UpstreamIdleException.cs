namespace Basalt.Gateway.Streaming;

/// <summary>The upstream sent nothing for longer than <c>limits.idleTimeoutSeconds</c> after its first byte.</summary>
internal sealed class UpstreamIdleException(TimeSpan idleTimeout)
    : TimeoutException($"the upstream sent nothing for {idleTimeout.TotalSeconds:0.#} s (limits.idleTimeoutSeconds); the stream was ended and the upstream call cancelled")
{
    public TimeSpan IdleTimeout { get; } = idleTimeout;
}
