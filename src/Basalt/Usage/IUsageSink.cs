namespace Basalt.Usage;

/// <summary>
/// Where the gateway hands each request's usage (issue 8 item 5). The gateway awaits this before it completes
/// the response, so a durable implementation (issue 10: journal, then store) can guarantee that every
/// acknowledged request is recorded. Implementations must be thread-safe and fast: they are on the hot path.
/// </summary>
public interface IUsageSink
{
    ValueTask RecordAsync(UsageEvent usage, CancellationToken cancellationToken);
}
