using System.Collections.Concurrent;
using Basalt.Usage;

namespace Basalt.Gateway.Tests.TestSupport;

/// <summary>A real <see cref="IUsageSink"/> that keeps what it was given, for assertions.</summary>
public sealed class RecordingUsageSink : IUsageSink
{
    public ConcurrentQueue<UsageEvent> Events { get; } = new();

    public ValueTask RecordAsync(UsageEvent usage, CancellationToken cancellationToken)
    {
        Events.Enqueue(usage);
        return ValueTask.CompletedTask;
    }

    /// <summary>Waits until <paramref name="count"/> events arrived (usage is recorded as the response completes).</summary>
    public async Task<List<UsageEvent>> WaitAsync(int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (Events.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        return [.. Events];
    }
}
