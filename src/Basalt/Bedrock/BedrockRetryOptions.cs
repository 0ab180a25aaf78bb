namespace Basalt.Bedrock;

/// <summary>
/// Retry with exponential backoff and full jitter (delay = random(0, min(MaxDelay, BaseDelay × 2^(n-1)))), never
/// shorter than a server's <c>Retry-After</c>. A <c>Retry-After</c> longer than <see cref="MaxRetryAfter"/> is not
/// waited for: the error goes back to the caller.
/// </summary>
public sealed record BedrockRetryOptions
{
    public static BedrockRetryOptions Default { get; } = new();

    public static BedrockRetryOptions NoRetry { get; } = new() { MaxAttempts = 1 };

    /// <summary>Total attempts including the first.</summary>
    public int MaxAttempts { get; init; } = 3;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(20);

    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(60);
}
