using System.Diagnostics;

namespace Basalt.Testing.Hostile;

/// <summary>
/// Runs corpus cases one at a time within a time and memory budget (issue 14: 2 s and 300 MB per case) and keeps
/// the count and the worst case seen. Memory is measured as bytes allocated while the case ran (a bound on what it
/// could have kept) plus the process's peak working set at the end.
/// </summary>
public sealed class CorpusStats(string name, TimeSpan timeBudget, long byteBudget)
{
    private readonly List<string> _failures = [];

    public string Name { get; } = name;

    public int Count { get; private set; }

    public TimeSpan WorstTime { get; private set; }

    public string WorstTimeCase { get; private set; } = "-";

    public long WorstBytes { get; private set; }

    public string WorstBytesCase { get; private set; } = "-";

    public IReadOnlyList<string> Failures => _failures;

    /// <summary>Runs <paramref name="body"/>; an exception, a failed check or a budget overrun is recorded as a failure.</summary>
    public void Run(string caseName, Action body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var watch = Stopwatch.StartNew();
        try
        {
            body();
        }
        catch (Exception ex)
        {
            Fail(caseName, $"{ex.GetType().Name}: {ex.Message.Split('\n')[0]}");
        }

        Record(caseName, watch.Elapsed, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>As <see cref="Run"/> for work that crosses threads (HTTP): allocations are the whole process's.</summary>
    public async Task RunAsync(string caseName, Func<Task> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var before = GC.GetTotalAllocatedBytes(precise: false);
        var watch = Stopwatch.StartNew();
        try
        {
            await body().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Fail(caseName, $"{ex.GetType().Name}: {ex.Message.Split('\n')[0]}");
        }

        Record(caseName, watch.Elapsed, GC.GetTotalAllocatedBytes(precise: false) - before);
    }

    public void Fail(string caseName, string why)
    {
        lock (_failures)
        {
            if (_failures.Count < 50)
            {
                _failures.Add($"{caseName}: {why}");
            }
        }
    }

    public string Summary()
        => $"{Name}: {Count:N0} cases, worst time {WorstTime.TotalMilliseconds:N0} ms ({WorstTimeCase}), worst allocation {WorstBytes / (1024.0 * 1024):N1} MB ({WorstBytesCase}), "
            + $"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024):N0} MB, failures {_failures.Count}";

    private void Record(string caseName, TimeSpan elapsed, long bytes)
    {
        Count++;
        if (elapsed > WorstTime)
        {
            (WorstTime, WorstTimeCase) = (elapsed, caseName);
        }

        if (bytes > WorstBytes)
        {
            (WorstBytes, WorstBytesCase) = (bytes, caseName);
        }

        if (elapsed > timeBudget)
        {
            Fail(caseName, $"took {elapsed.TotalMilliseconds:N0} ms (budget {timeBudget.TotalMilliseconds:N0} ms)");
        }

        if (bytes > byteBudget)
        {
            Fail(caseName, $"allocated {bytes / (1024 * 1024):N0} MB (budget {byteBudget / (1024 * 1024):N0} MB)");
        }
    }
}
