namespace Basalt.Gateway.Configuration;

/// <summary>
/// Failover before the first byte (issue 8 item 6): total attempts across the model's routes, backoff before an
/// upstream is tried again, the longest <c>Retry-After</c> waited for, and the per-upstream circuit breaker.
/// </summary>
public sealed record GatewayFailover
{
    public int MaxAttempts { get; init; } = 4;

    public TimeSpan BackoffBase { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A <c>Retry-After</c> longer than this is not waited for: the upstream cools down and others are tried.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Consecutive failures that open an upstream's breaker.</summary>
    public int BreakerThreshold { get; init; } = 3;

    /// <summary>How long an open breaker skips its upstream before one half-open probe is let through.</summary>
    public TimeSpan BreakerOpenDuration { get; init; } = TimeSpan.FromSeconds(30);
}
