namespace Basalt.Gateway.Hosting;

/// <summary>Counts open streams against <c>limits.maxConcurrentStreams</c> (issue 8 item 6).</summary>
internal sealed class StreamLimiter(int limit)
{
    private int _current;

    public int Limit => limit;

    public int Current => Volatile.Read(ref _current);

    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _current) <= limit)
        {
            return true;
        }

        Interlocked.Decrement(ref _current);
        return false;
    }

    public void Exit() => Interlocked.Decrement(ref _current);
}
