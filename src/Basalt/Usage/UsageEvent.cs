using Basalt.Identity;

namespace Basalt.Usage;

/// <summary>
/// One gateway request's metered usage, emitted once per request to <see cref="IUsageSink"/> when it ends.
/// Token counts come from the stream's own events (message_start / message_delta usage,
/// amazon-bedrock-invocationMetrics); <see cref="IsEstimate"/> marks a count estimated because the stream ended
/// without final usage. Cost is not here: the store prices events from the model catalogue, in decimal.
/// Never carries prompt or completion text.
/// </summary>
public sealed record UsageEvent
{
    public required string RequestId { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public required Principal Principal { get; init; }

    /// <summary><c>anthropic</c> or <c>bedrock</c>: which inbound wire format the client used.</summary>
    public required string InboundProtocol { get; init; }

    public string? UserAgent { get; init; }
    public string? ClaudeCodeSessionId { get; init; }
    public string? AgentId { get; init; }
    public string? ParentAgentId { get; init; }

    /// <summary>The model (or alias) the client asked for, as sent.</summary>
    public required string ModelRequested { get; init; }

    /// <summary>
    /// Catalogue client id of the model routing replaced (an alias's default, the model a rewrite replaced), when a
    /// group's routing chose <see cref="ModelServed"/>; reports price the tokens at it to show what routing saved.
    /// </summary>
    public string? ModelBaseline { get; init; }

    /// <summary>Catalogue client id of the model served (a <c>clientId</c> of claude-models.json), when known.</summary>
    public string? ModelServed { get; init; }

    /// <summary>The Bedrock model id or inference-profile id/ARN actually invoked.</summary>
    public string? UpstreamModelId { get; init; }

    public string? Region { get; init; }

    /// <summary>Name of the configured upstream that answered (after failover).</summary>
    public string? Upstream { get; init; }

    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public long CacheReadTokens { get; init; }
    public long CacheWrite5mTokens { get; init; }
    public long CacheWrite1hTokens { get; init; }
    public bool IsEstimate { get; init; }
    public bool Streamed { get; init; }

    public TimeSpan? TimeToFirstByte { get; init; }
    public TimeSpan Duration { get; init; }
    public required UsageOutcome Outcome { get; init; }

    /// <summary>HTTP status returned to the client.</summary>
    public int StatusCode { get; init; }

    /// <summary>Anthropic error type returned to the client (e.g. <c>rate_limit_error</c>), when not ok.</summary>
    public string? ErrorType { get; init; }

    /// <summary>Upstream attempts made (1 = no failover).</summary>
    public int Attempts { get; init; } = 1;
}
