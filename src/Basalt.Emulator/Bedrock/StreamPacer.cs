using System.Diagnostics;

namespace Basalt.Emulator.Bedrock;

/// <summary>
/// Paces output at a steady rate of tokens per second against a fixed schedule (not per-delta sleeps), so
/// timer slack does not accumulate across thousands of deltas. Uses real time, not the emulator's clock: a test
/// that freezes the clock for expiry checks must not freeze streams.
/// </summary>
internal sealed class StreamPacer(double tokensPerSecond)
{
    private readonly long _start = Stopwatch.GetTimestamp();
    private long _bytes;

    public ValueTask WaitAsync(int bytes, CancellationToken cancellationToken)
    {
        if (tokensPerSecond <= 0)
        {
            return ValueTask.CompletedTask;
        }

        _bytes += bytes;
        var due = TimeSpan.FromSeconds(_bytes / 4.0 / tokensPerSecond);
        var wait = due - Stopwatch.GetElapsedTime(_start);
        return wait > TimeSpan.FromMilliseconds(1) ? new ValueTask(Task.Delay(wait, cancellationToken)) : ValueTask.CompletedTask;
    }

    /// <summary>Total time a reply of <paramref name="outputTokens"/> takes at this rate (non-stream responses wait this long).</summary>
    public static TimeSpan Duration(int outputTokens, double tokensPerSecond)
        => tokensPerSecond <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(outputTokens / tokensPerSecond);
}
