using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Basalt.Emulator;
using Basalt.IO;

// Emulator benchmarks (docs/emulator.md, "Benchmarks"). Loopback only; the emulator runs in this process, so the
// memory figures include the client side of the 2,000 streams. Usage:
//   dotnet run -c Release --project bench/Basalt.Bench.Emulator [-- --seconds 10 --streams 2000]
var seconds = Argument("--seconds", 10);
var streamCount = Argument("--streams", 2000);
const int Connections = 64;
const string ApiKey = "bench-bedrock-api-key";
const string Model = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";

var yaml = $$"""
    region: us-east-1
    accounts:
      - id: "111122223333"
    users:
      - name: bench
        account: "111122223333"
        bedrockApiKeys: [{{ApiKey}}]
    """;
var options = EmulatorOptions.Parse(yaml, "bench-emulator.yaml");
if (options.HasErrors)
{
    Console.Error.WriteLine(string.Join('\n', options.Diagnostics));
    return 1;
}

await using var server = await EmulatorServer.StartAsync(options);
var endpoint = server.BaseAddress;
Console.WriteLine($"emulator at {endpoint} ({Environment.ProcessorCount} cores, {RuntimeInformationText()})");

var throughput = await MeasureThroughputAsync(endpoint, TimeSpan.FromSeconds(seconds));
Console.WriteLine($"non-stream InvokeModel, {Connections} connections, {seconds} s: {throughput.RequestsPerSecond:F0} req/s, p50 {throughput.P50Ms:F2} ms, p99 {throughput.P99Ms:F2} ms, errors {throughput.Errors}");

var memory = await MeasureStreamsAsync(endpoint, streamCount);
Console.WriteLine($"{streamCount} concurrent paced streams: working set {Mb(memory.BaselineWorkingSet)} -> {Mb(memory.PeakWorkingSet)} MB, GC heap {Mb(memory.BaselineHeap)} -> {Mb(memory.PeakHeap)} MB (committed {Mb(memory.PeakCommitted)} MB), {memory.Completed} completed, {memory.Failed} failed, {memory.ElapsedSeconds:F1} s");

var results = new
{
    benchmark = "emulator",
    recordedAt = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
    machine = new { cores = Environment.ProcessorCount, runtime = RuntimeInformationText() },
    nonStream = new
    {
        operation = "InvokeModel (echo reply, Bedrock API key auth)",
        connections = Connections,
        durationSeconds = seconds,
        requests = throughput.Requests,
        errors = throughput.Errors,
        requestsPerSecond = Math.Round(throughput.RequestsPerSecond, 1),
        p50Ms = Math.Round(throughput.P50Ms, 3),
        p99Ms = Math.Round(throughput.P99Ms, 3),
    },
    pacedStreams = new
    {
        streams = streamCount,
        tokensPerSecond = StreamTokensPerSecond,
        outputTokensPerStream = StreamOutputTokens,
        completed = memory.Completed,
        failed = memory.Failed,
        elapsedSeconds = Math.Round(memory.ElapsedSeconds, 2),
        baselineWorkingSetBytes = memory.BaselineWorkingSet,
        peakWorkingSetBytes = memory.PeakWorkingSet,
        baselineGcHeapBytes = memory.BaselineHeap,
        peakGcHeapBytes = memory.PeakHeap,
        peakGcCommittedBytes = memory.PeakCommitted,
        workingSetPerStreamBytes = (memory.PeakWorkingSet - memory.BaselineWorkingSet) / Math.Max(1, streamCount),
        note = "emulator and clients share this process",
    },
};
var path = Path.Combine(RepoRoot(), "bench", "results", "emulator.json");
await AtomicFile.WriteAllTextAsync(path, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
Console.WriteLine($"wrote {path}");
return 0;

static async Task<Throughput> MeasureThroughputAsync(Uri endpoint, TimeSpan duration)
{
    using var client = Client(endpoint, Connections);
    var body = Encoding.UTF8.GetBytes(Body("Benchmark prompt: reply with this text, please.", 256));
    async Task<bool> OneAsync()
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await client.PostAsync($"model/{Model}/invoke", content);
        await response.Content.ReadAsByteArrayAsync();
        return response.StatusCode == HttpStatusCode.OK;
    }

    // Warm up: JIT, connection pool, Kestrel.
    await Task.WhenAll(Enumerable.Range(0, Connections).Select(async _ =>
    {
        for (var i = 0; i < 20; i++)
        {
            await OneAsync();
        }
    }));

    var latencies = new List<double>[Connections];
    var errors = 0;
    var stop = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, Connections).Select(async worker =>
    {
        var mine = latencies[worker] = new List<double>(100_000);
        while (stop.Elapsed < duration)
        {
            var started = Stopwatch.GetTimestamp();
            if (!await OneAsync())
            {
                Interlocked.Increment(ref errors);
            }

            mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }));
    var elapsed = stop.Elapsed.TotalSeconds;
    var all = latencies.SelectMany(l => l).Order().ToArray();
    return new Throughput(all.Length, errors, all.Length / elapsed, Percentile(all, 0.50), Percentile(all, 0.99));
}

static async Task<StreamMemory> MeasureStreamsAsync(Uri endpoint, int count)
{
    using var client = Client(endpoint, count);
    // One output token is 4 UTF-8 bytes (the emulator's documented count), so this prompt echoes to StreamOutputTokens.
    var body = Body(new string('a', StreamOutputTokens * 4), 1024);
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
    var baselineWs = Environment.WorkingSet;
    var baselineHeap = GC.GetTotalMemory(false);
    long peakWs = baselineWs;
    long peakHeap = baselineHeap;
    long peakCommitted = GC.GetGCMemoryInfo().TotalCommittedBytes;
    var completed = 0;
    var failed = 0;
    var watch = Stopwatch.StartNew();
    using var sampling = new CancellationTokenSource();
    var sampler = Task.Run(async () =>
    {
        while (!sampling.IsCancellationRequested)
        {
            peakWs = Math.Max(peakWs, Environment.WorkingSet);
            peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
            peakCommitted = Math.Max(peakCommitted, GC.GetGCMemoryInfo().TotalCommittedBytes);
            try
            {
                await Task.Delay(100, sampling.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    });

    await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"model/{Model}/invoke-with-response-stream")
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("x-basalt-tokens-per-second", StreamTokensPerSecond.ToString(CultureInfo.InvariantCulture));
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            await using var stream = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[4096];
            while (await stream.ReadAsync(buffer) > 0)
            {
            }

            Interlocked.Increment(ref completed);
        }
        catch (HttpRequestException)
        {
            Interlocked.Increment(ref failed);
        }
        catch (IOException)
        {
            Interlocked.Increment(ref failed);
        }
    }));
    var elapsed = watch.Elapsed.TotalSeconds;
    await sampling.CancelAsync();
    await sampler;
    return new StreamMemory(baselineWs, peakWs, baselineHeap, peakHeap, peakCommitted, completed, failed, elapsed);
}

static HttpClient Client(Uri endpoint, int connections)
{
    var handler = new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        UseProxy = false,
    };
    var client = new HttpClient(handler) { BaseAddress = endpoint, Timeout = TimeSpan.FromMinutes(5) };
    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
    return client;
}

static string Body(string prompt, int maxTokens)
    => $$"""{"anthropic_version":"bedrock-2023-05-31","max_tokens":{{maxTokens}},"messages":[{"role":"user","content":{{JsonSerializer.Serialize(prompt)}}}]}""";

static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

static long Mb(long bytes) => bytes / (1024 * 1024);

static string RuntimeInformationText() => System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;

static string RepoRoot()
{
    foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Basalt.sln")))
            {
                return dir.FullName;
            }
        }
    }

    return Environment.CurrentDirectory;
}

int Argument(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : fallback;
}

internal sealed record Throughput(int Requests, int Errors, double RequestsPerSecond, double P50Ms, double P99Ms);

internal sealed record StreamMemory(long BaselineWorkingSet, long PeakWorkingSet, long BaselineHeap, long PeakHeap, long PeakCommitted, int Completed, int Failed, double ElapsedSeconds);

internal static partial class Program
{
    private const int StreamTokensPerSecond = 40;
    private const int StreamOutputTokens = 200;
}
