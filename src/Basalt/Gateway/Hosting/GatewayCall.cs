using System.Diagnostics;
using Basalt.Identity;
using Basalt.Usage;

namespace Basalt.Gateway.Hosting;

/// <summary>
/// The state of one request while the gateway serves it: who, what was asked, which upstream answered, timings
/// and the metered tokens, turned into exactly one <see cref="UsageEvent"/> at the end. Holds no prompt or
/// completion text.
/// </summary>
internal sealed class GatewayCall
{
    private readonly long _started = Stopwatch.GetTimestamp();

    public GatewayCall(GatewayExchange exchange, string requestId, string inbound, DateTimeOffset now)
    {
        Exchange = exchange;
        RequestId = requestId;
        InboundProtocol = inbound;
        Timestamp = now;
    }

    public GatewayExchange Exchange { get; }

    public string RequestId { get; }

    public string InboundProtocol { get; }

    public DateTimeOffset Timestamp { get; }

    public Principal? Principal { get; set; }

    public string ModelRequested { get; set; } = string.Empty;

    public string? ModelServed { get; set; }

    /// <summary>The model routing replaced (catalogue client id), when a group's routing chose the served one.</summary>
    public string? ModelBaseline { get; set; }

    public string? UpstreamModelId { get; set; }

    public string? Region { get; set; }

    public string? Upstream { get; set; }

    public bool Streamed { get; set; }

    public int Attempts { get; set; }

    public TimeSpan? TimeToFirstByte { get; set; }

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_started);

    /// <summary>Notes which upstream answered (after failover) and when its headers arrived: the first byte's time.</summary>
    public void Answered(Routing.UpstreamAttempt attempt)
    {
        Attempts = attempt.Attempts;
        Upstream = attempt.Upstream.Name;
        Region = attempt.Upstream.Upstream.Region;
        UpstreamModelId = attempt.Route.ModelId;
        TimeToFirstByte = Elapsed;
    }

    public UsageEvent ToUsage(Streaming.UsageMeter? meter, UsageOutcome outcome, int status, string? errorType)
        => new()
        {
            RequestId = RequestId,
            Timestamp = Timestamp,
            Principal = Principal!,
            InboundProtocol = InboundProtocol,
            UserAgent = Exchange.GetHeader("user-agent"),
            ClaudeCodeSessionId = Exchange.GetHeader("x-claude-code-session-id"),
            AgentId = Exchange.GetHeader("x-claude-code-agent-id"),
            ParentAgentId = Exchange.GetHeader("x-claude-code-parent-agent-id"),
            ModelRequested = ModelRequested,
            ModelServed = ModelServed,
            ModelBaseline = ModelBaseline,
            UpstreamModelId = UpstreamModelId,
            Region = Region,
            Upstream = Upstream,
            InputTokens = meter?.InputTokens ?? 0,
            OutputTokens = meter?.OutputTokens ?? 0,
            CacheReadTokens = meter?.CacheReadTokens ?? 0,
            CacheWrite5mTokens = meter?.CacheWrite5mTokens ?? 0,
            CacheWrite1hTokens = meter?.CacheWrite1hTokens ?? 0,
            IsEstimate = meter?.IsEstimate ?? false,
            Streamed = Streamed,
            TimeToFirstByte = TimeToFirstByte,
            Duration = Elapsed,
            Outcome = outcome,
            StatusCode = status,
            ErrorType = errorType,
            Attempts = Attempts,
        };
}
