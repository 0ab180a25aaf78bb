using Basalt.Usage;
using Microsoft.Extensions.Logging;

namespace Basalt.Gateway.Hosting;

/// <summary>
/// The usage sink until the usage store lands (issue 10): one structured log line per request with request id,
/// user, credential id, model, upstream, tokens, timings and outcome — never prompt or completion text, never a secret.
/// </summary>
public sealed partial class LoggingUsageSink : IUsageSink
{
    private readonly ILogger _logger;

    public LoggingUsageSink(ILogger<LoggingUsageSink> logger) => _logger = logger;

    public ValueTask RecordAsync(UsageEvent usage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(usage);
        Log(_logger, usage.RequestId, usage.Principal.UserId, usage.Principal.CredentialId, usage.InboundProtocol, usage.ModelRequested, usage.ModelServed,
            usage.Upstream, usage.Region, usage.StatusCode, usage.Outcome, usage.ErrorType, usage.Attempts, usage.InputTokens, usage.OutputTokens,
            usage.CacheReadTokens, usage.CacheWrite5mTokens + usage.CacheWrite1hTokens, usage.IsEstimate, usage.TimeToFirstByte?.TotalMilliseconds,
            usage.Duration.TotalMilliseconds, usage.ClaudeCodeSessionId);
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(EventId = 8000, Level = LogLevel.Information, Message = "request {RequestId} user={UserId} key={CredentialId} via={Inbound} model={Model} served={Served} upstream={Upstream} region={Region} status={Status} outcome={Outcome} error={ErrorType} attempts={Attempts} input={InputTokens} output={OutputTokens} cacheRead={CacheRead} cacheWrite={CacheWrite} estimate={Estimate} ttfbMs={TtfbMs} durationMs={DurationMs} session={SessionId}")]
    private static partial void Log(ILogger logger, string requestId, string userId, string credentialId, string inbound, string model, string? served, string? upstream, string? region,
        int status, UsageOutcome outcome, string? errorType, int attempts, long inputTokens, long outputTokens, long cacheRead, long cacheWrite, bool estimate, double? ttfbMs, double durationMs, string? sessionId);
}
