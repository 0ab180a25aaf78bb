using System.Diagnostics;

namespace Basalt.Bench.Gateway;

/// <summary>
/// Closed-loop load: N workers each send a request, read the whole answer, and send the next, for a fixed time.
/// Latency is measured per request from send to the last body byte; time to first byte from send to the first
/// body byte of a stream. Non-200 answers count as errors and are not timed.
/// </summary>
internal static class LoadGenerator
{
    public static async Task<Samples> NonStreamAsync(BenchTarget target, HttpClient client, int workers, TimeSpan duration)
    {
        var pids = target.Process is { } process ? ProcessMemory.Tree(process.Pid) : null;
        var cpuBefore = pids is null ? TimeSpan.Zero : ProcessMemory.CpuTime(pids);
        var threadsBefore = pids is null ? null : ProcessMemory.CpuTimeByThread(pids);
        var lists = new List<double>[workers];
        var errors = 0;
        string? firstError = null;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async w =>
        {
            var mine = lists[w] = new List<double>(50_000);
            var buffer = new byte[16 * 1024];
            while (clock.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var request = target.Request(stream: false);
                    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                    await using var body = await response.Content.ReadAsStreamAsync();
                    while (await body.ReadAsync(buffer) > 0)
                    {
                    }

                    if (response.IsSuccessStatusCode)
                    {
                        mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    }
                    else
                    {
                        Interlocked.Increment(ref errors);
                        firstError ??= $"HTTP {(int)response.StatusCode}";
                    }
                }
                catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
                {
                    Interlocked.Increment(ref errors);
                    firstError ??= e.GetType().Name + ": " + e.Message;
                }
            }
        }));
        var seconds = clock.Elapsed.TotalSeconds;
        var cpu = pids is null ? (TimeSpan?)null : ProcessMemory.CpuTime(pids) - cpuBefore;
        var threads = pids is null ? null : ProcessMemory.CpuTimeByThread(pids).ToDictionary(g => g.Key, g => g.Value - threadsBefore!.GetValueOrDefault(g.Key), StringComparer.Ordinal);
        return new Samples(lists.SelectMany(l => l).ToList(), errors, seconds, firstError) { ProxyCpu = cpu, ProxyThreadCpu = threads };
    }

    /// <summary>Unpaced streams: time to the first body byte (Bedrock event frame or SSE event), then read to the end.</summary>
    public static async Task<Samples> StreamTtfbAsync(BenchTarget target, HttpClient client, int workers, TimeSpan duration)
    {
        var lists = new List<double>[workers];
        var errors = 0;
        string? firstError = null;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(async w =>
        {
            var mine = lists[w] = new List<double>(10_000);
            var buffer = new byte[16 * 1024];
            while (clock.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var request = target.Request(stream: true);
                    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                    await using var body = await response.Content.ReadAsStreamAsync();
                    var first = await body.ReadAsync(buffer);
                    var ttfb = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    while (await body.ReadAsync(buffer) > 0)
                    {
                    }

                    if (response.IsSuccessStatusCode && first > 0)
                    {
                        mine.Add(ttfb);
                    }
                    else
                    {
                        Interlocked.Increment(ref errors);
                        firstError ??= $"HTTP {(int)response.StatusCode}";
                    }
                }
                catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
                {
                    Interlocked.Increment(ref errors);
                    firstError ??= e.GetType().Name + ": " + e.Message;
                }
            }
        }));
        return new Samples(lists.SelectMany(l => l).ToList(), errors, clock.Elapsed.TotalSeconds, firstError);
    }

    /// <summary>
    /// <paramref name="count"/> streams at once against a paced emulator; the proxy's resident memory (process tree)
    /// is sampled every 50 ms while they run. Returns completed/failed counts, the RSS before and at its peak, and VmHWM.
    /// </summary>
    public static async Task<PacedStreams> PacedStreamsAsync(BenchTarget target, int count, TimeSpan timeout)
    {
        var process = target.Process ?? throw new InvalidOperationException("paced streams measure a proxy process");
        var pids = ProcessMemory.Tree(process.Pid);
        using var client = target.CreateClient(count);

        // Warm-up: JIT and pools on a few streams, so the peak is the streams' cost rather than start-up.
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => OneStreamAsync(client, target, CancellationToken.None)));
        await Task.Delay(500);
        var baseline = ProcessMemory.Rss(pids);
        var peak = baseline;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, ProcessMemory.Rss(pids));
                try
                {
                    await Task.Delay(50, sampling.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        });

        using var deadline = new CancellationTokenSource(timeout);
        var clock = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => OneStreamAsync(client, target, deadline.Token)));
        var elapsed = clock.Elapsed.TotalSeconds;
        await sampling.CancelAsync();
        await sampler;
        peak = Math.Max(peak, ProcessMemory.Rss(pids));
        var completed = results.Count(r => r is null);
        var firstError = results.FirstOrDefault(r => r is not null);
        return new PacedStreams(count, completed, count - completed, elapsed, baseline, peak, ProcessMemory.HighWaterMark(pids), pids.Count, firstError);
    }

    /// <summary>One stream read to its end; null when it completed with 200, else what went wrong.</summary>
    private static async Task<string?> OneStreamAsync(HttpClient client, BenchTarget target, CancellationToken cancellationToken)
    {
        try
        {
            using var request = target.Request(stream: true);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[4096];
            while (await body.ReadAsync(buffer, cancellationToken) > 0)
            {
            }

            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
            return e.GetType().Name + ": " + e.Message;
        }
    }
}

/// <summary>Timed samples in milliseconds, with the error count and the wall time they took.</summary>
internal sealed record Samples(List<double> Milliseconds, int Errors, double Seconds, string? FirstError)
{
    /// <summary>CPU time the proxy's processes used during the samples (null for the emulator itself).</summary>
    public TimeSpan? ProxyCpu { get; init; }

    /// <summary>The proxy's CPU time during the samples by thread group (<see cref="ProcessMemory.CpuTimeByThread"/>).</summary>
    public IReadOnlyDictionary<string, TimeSpan>? ProxyThreadCpu { get; init; }

    /// <summary>Proxy CPU per answered request by thread group, in microseconds.</summary>
    public Dictionary<string, double>? ProxyThreadCpuMicrosPerRequest => ProxyThreadCpu is { } t && Milliseconds.Count > 0
        ? t.OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Math.Round(g.Value.TotalMicroseconds / Milliseconds.Count, 1), StringComparer.Ordinal)
        : null;

    /// <summary>Proxy CPU per answered request, in microseconds.</summary>
    public double? ProxyCpuMicrosPerRequest => ProxyCpu is { } cpu && Milliseconds.Count > 0 ? cpu.TotalMicroseconds / Milliseconds.Count : null;

    public static Samples Merge(IEnumerable<Samples> parts)
    {
        var list = parts.ToList();
        var cpu = list.All(p => p.ProxyCpu is not null) ? list.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.ProxyCpu!.Value) : (TimeSpan?)null;
        var threads = list.All(p => p.ProxyThreadCpu is not null)
            ? list.SelectMany(p => p.ProxyThreadCpu!).GroupBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Aggregate(TimeSpan.Zero, (sum, x) => sum + x.Value), StringComparer.Ordinal)
            : null;
        return new Samples(list.SelectMany(p => p.Milliseconds).ToList(), list.Sum(p => p.Errors), list.Sum(p => p.Seconds), list.Select(p => p.FirstError).FirstOrDefault(e => e is not null)) { ProxyCpu = cpu, ProxyThreadCpu = threads };
    }

    public double RequestsPerSecond => Seconds <= 0 ? 0 : Milliseconds.Count / Seconds;

    public double Percentile(double p)
    {
        if (Milliseconds.Count == 0)
        {
            return double.NaN;
        }

        var sorted = Milliseconds.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
    }
}

internal sealed record PacedStreams(int Streams, int Completed, int Failed, double ElapsedSeconds, long BaselineRssBytes, long PeakRssBytes, long HighWaterMarkBytes, int Processes, string? FirstError);
