using Microsoft.Extensions.Logging;

namespace Basalt.Gateway.Hosting;

/// <summary>The gateway's structured log lines (issue 8 item 8): request id, never prompt or completion text, never a secret.</summary>
internal static partial class GatewayLog
{
    /// <summary>One line per request as it completes: what was asked (path only, never the query), the status, how long.</summary>
    [LoggerMessage(EventId = 8001, Level = LogLevel.Information, Message = "access {RequestId} {Method} {Path} status={Status} durationMs={DurationMs}")]
    public static partial void Access(ILogger logger, string requestId, string method, string path, int status, long durationMs);
}
