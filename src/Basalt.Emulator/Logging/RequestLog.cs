namespace Basalt.Emulator.Logging;

/// <summary>
/// The emulator's local CloudTrail: every authenticated or rejected call, in order, so tests can assert who
/// called what. Thread-safe; readers get snapshots. Also served as JSON at <c>GET /_emulator/requests</c>.
/// </summary>
public sealed class RequestLog
{
    private readonly Lock _gate = new();
    private readonly List<RequestLogEntry> _entries = [];

    public void Record(RequestLogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        lock (_gate)
        {
            _entries.Add(entry);
        }
    }

    public IReadOnlyList<RequestLogEntry> Snapshot()
    {
        lock (_gate)
        {
            return [.. _entries];
        }
    }

    /// <summary>The calls made by one principal (exact ARN match).</summary>
    public IReadOnlyList<RequestLogEntry> ForPrincipal(string principalArn)
    {
        lock (_gate)
        {
            return [.. _entries.Where(e => string.Equals(e.PrincipalArn, principalArn, StringComparison.Ordinal))];
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
        }
    }
}
