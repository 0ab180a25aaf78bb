using Basalt.Identity;
using Basalt.Usage.Pricing;

namespace Basalt.Usage.Records;

/// <summary>
/// One stored usage row (issue 10 item 1): a <see cref="UsageEvent"/> flattened, priced and stamped with its source.
/// Times are Unix milliseconds UTC; cost is in nano-dollars (<see cref="UsagePricer.NanosPerDollar"/>). The request
/// id is unique in the store, which makes journal replay idempotent. Never carries prompt or completion text.
/// </summary>
public sealed record UsageRecord
{
    public required string RequestId { get; init; }
    public required long TimestampMs { get; init; }
    public required string UserId { get; init; }
    public string? DisplayName { get; init; }
    public IReadOnlyList<string> Groups { get; init; } = [];
    public string? KeyId { get; init; }
    public string? AuthMethod { get; init; }
    public string? CostCentre { get; init; }
    public UsageSource Source { get; init; }
    public string? Protocol { get; init; }
    public string? UserAgent { get; init; }
    public string? SessionId { get; init; }
    public string? AgentId { get; init; }
    public required string ModelRequested { get; init; }
    public string? ModelServed { get; init; }
    public string? ModelBaseline { get; init; }
    public string? UpstreamModelId { get; init; }
    public string? Region { get; init; }
    public string? Upstream { get; init; }
    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public long CacheReadTokens { get; init; }
    public long CacheWrite5mTokens { get; init; }
    public long CacheWrite1hTokens { get; init; }
    public long CostNanos { get; init; }
    public PriceBasis PriceBasis { get; init; }
    public bool IsEstimate { get; init; }
    public bool Streamed { get; init; }
    public long? TtfbMs { get; init; }
    public long DurationMs { get; init; }
    public UsageOutcome Outcome { get; init; }
    public int StatusCode { get; init; }
    public string? ErrorType { get; init; }
    public int Attempts { get; init; } = 1;

    /// <summary>The model rollups and reports group by: the served model when known, else the requested one.</summary>
    public string ReportModel => string.IsNullOrEmpty(ModelServed) ? ModelRequested : ModelServed;

    public long TotalTokens => InputTokens + OutputTokens + CacheReadTokens + CacheWrite5mTokens + CacheWrite1hTokens;

    public decimal CostUsd => UsagePricer.FromNanos(CostNanos);

    public static UsageRecord From(UsageEvent e, UsagePricer pricer, UsageSource source = UsageSource.Gateway)
    {
        var (usd, basis) = pricer.Price(e);
        return new UsageRecord
        {
            RequestId = e.RequestId,
            TimestampMs = e.Timestamp.ToUnixTimeMilliseconds(),
            UserId = e.Principal.UserId,
            DisplayName = e.Principal.DisplayName,
            Groups = e.Principal.Groups,
            KeyId = e.Principal.CredentialId,
            AuthMethod = e.Principal.Method.ToString(),
            CostCentre = e.Principal.CostCentre,
            Source = source,
            Protocol = e.InboundProtocol,
            UserAgent = e.UserAgent,
            SessionId = e.ClaudeCodeSessionId,
            AgentId = e.AgentId,
            ModelRequested = e.ModelRequested,
            ModelServed = e.ModelServed,
            ModelBaseline = e.ModelBaseline,
            UpstreamModelId = e.UpstreamModelId,
            Region = e.Region,
            Upstream = e.Upstream,
            InputTokens = e.InputTokens,
            OutputTokens = e.OutputTokens,
            CacheReadTokens = e.CacheReadTokens,
            CacheWrite5mTokens = e.CacheWrite5mTokens,
            CacheWrite1hTokens = e.CacheWrite1hTokens,
            CostNanos = UsagePricer.ToNanos(usd),
            PriceBasis = basis,
            IsEstimate = e.IsEstimate,
            Streamed = e.Streamed,
            TtfbMs = e.TimeToFirstByte is { } t ? (long)t.TotalMilliseconds : null,
            DurationMs = (long)e.Duration.TotalMilliseconds,
            Outcome = e.Outcome,
            StatusCode = e.StatusCode,
            ErrorType = e.ErrorType,
            Attempts = e.Attempts,
        };
    }
}
