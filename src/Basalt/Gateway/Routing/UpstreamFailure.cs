using Basalt.Bedrock;

namespace Basalt.Gateway.Routing;

/// <summary>
/// Every route failed before the first byte (or the failure may not be retried). Carries the last upstream error
/// as received (for pass-through to Bedrock-format clients and mapping for Anthropic ones), or a gateway-side
/// reason (all breakers open, timeouts, connection failures).
/// </summary>
internal sealed class UpstreamFailure : Exception
{
    public UpstreamFailure(string message, BedrockException? last, int attempts, TimeSpan? retryAfter, Exception? inner = null)
        : base(message, inner ?? last)
    {
        Last = last;
        Attempts = attempts;
        RetryAfter = retryAfter;
    }

    public BedrockException? Last { get; }

    public int Attempts { get; }

    public TimeSpan? RetryAfter { get; }
}
