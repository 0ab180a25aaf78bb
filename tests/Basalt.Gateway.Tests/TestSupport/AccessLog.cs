using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Basalt.Gateway.Tests.TestSupport;

/// <summary>
/// Collects the gateway's own access lines (event 8001, "access {RequestId} {Method} {Path} status=…") as the host
/// logs them, so a test sees every request a real client made and what the gateway answered; and every other
/// warning or error the gateway logs (<see cref="Warnings"/>), for tests that check a failure is one line without a stack trace.
/// </summary>
public sealed partial class AccessLog : ILoggerProvider
{
    private readonly ConcurrentQueue<AccessLine> _lines = new();
    private readonly ConcurrentQueue<LogEntry> _warnings = new();

    public IReadOnlyList<AccessLine> Lines => [.. _lines];

    /// <summary>Log entries at Warning or above other than access lines, with the exception when one was logged.</summary>
    public IReadOnlyList<LogEntry> Warnings => [.. _warnings];

    public ILogger CreateLogger(string categoryName) => new Collector(this);

    public void Dispose()
    {
    }

    public override string ToString() => string.Join('\n', _lines.Select(l => $"{l.Method} {l.Path} {l.Status}"));

    [GeneratedRegex(@"^access (?<id>\S+) (?<method>\S+) (?<path>\S+) status=(?<status>\d+) ")]
    private static partial Regex Line();

    public sealed record AccessLine(string RequestId, string Method, string Path, int Status);

    public sealed record LogEntry(int EventId, LogLevel Level, string Message, Exception? Exception);

    private sealed class Collector(AccessLog owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id != 8001)
            {
                if (logLevel >= LogLevel.Warning)
                {
                    owner._warnings.Enqueue(new LogEntry(eventId.Id, logLevel, formatter(state, exception), exception));
                }

                return;
            }

            var match = Line().Match(formatter(state, exception));
            if (match.Success)
            {
                owner._lines.Enqueue(new AccessLine(match.Groups["id"].Value, match.Groups["method"].Value, match.Groups["path"].Value, int.Parse(match.Groups["status"].Value, System.Globalization.CultureInfo.InvariantCulture)));
            }
        }
    }
}
