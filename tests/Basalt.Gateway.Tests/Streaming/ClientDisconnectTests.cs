using System.Text;
using System.Text.Json;
using Basalt.Gateway.Tests.TestSupport;
using Basalt.Usage;

namespace Basalt.Gateway.Tests.Streaming;

/// <summary>A client that leaves mid-stream cancels the upstream call at once, and nothing leaks (issue 8, "Done when").</summary>
public sealed class ClientDisconnectTests
{
    private static async Task DisconnectAfterFirstEventAsync(GatewayTestHost host, string path, string body, bool bearer)
    {
        using var client = host.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation(bearer ? "Authorization" : "x-api-key", bearer ? "Bearer " + host.AliceKey : host.AliceKey);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.True(response.IsSuccessStatusCode);
        var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64];
        Assert.True(await stream.ReadAsync(buffer) > 0);
        // Leaving: disposing the response closes the connection mid-stream.
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(25);
        }
    }

    [Fact]
    public async Task Leaving_an_anthropic_stream_cancels_the_upstream_call_and_records_the_cancellation()
    {
        await using var host = await GatewayTestHost.StartAsync(new GatewayTestOptions { ExtraBedrockYaml = "  pacing:\n    tokensPerSecond: 5" });
        var body = JsonSerializer.Serialize(new { model = "sonnet", max_tokens = 512, stream = true, messages = new[] { new { role = "user", content = string.Join(' ', Enumerable.Repeat("slow words", 60)) } } });

        await DisconnectAfterFirstEventAsync(host, "/v1/messages", body, bearer: false);

        await WaitForAsync(() => host.Emulator.RequestLog.Snapshot().Any(e => e.Outcome == "ClientClosedRequest"), "the emulator to see the upstream call cancelled");
        await WaitForAsync(() => host.Gateway.Handler.OpenStreams == 0, "the gateway's open streams to return to 0");
        var usage = Assert.Single(await host.Usage.WaitAsync(1));
        Assert.Equal(UsageOutcome.ClientCancelled, usage.Outcome);
        Assert.True(usage.IsEstimate);
    }

    [Fact]
    public async Task Leaving_a_bedrock_stream_cancels_the_upstream_call()
    {
        await using var host = await GatewayTestHost.StartAsync(new GatewayTestOptions { ExtraBedrockYaml = "  pacing:\n    tokensPerSecond: 5" });
        var body = JsonSerializer.Serialize(new { anthropic_version = "bedrock-2023-05-31", max_tokens = 512, messages = new[] { new { role = "user", content = string.Join(' ', Enumerable.Repeat("slow words", 60)) } } });

        await DisconnectAfterFirstEventAsync(host, $"/model/{Uri.EscapeDataString(GatewayTestHost.SonnetProfile)}/invoke-with-response-stream", body, bearer: true);

        await WaitForAsync(() => host.Emulator.RequestLog.Snapshot().Any(e => e.Outcome == "ClientClosedRequest"), "the emulator to see the upstream call cancelled");
        await WaitForAsync(() => host.Gateway.Handler.OpenStreams == 0, "the gateway's open streams to return to 0");
    }

    [Fact]
    public async Task Many_abandoned_streams_leave_no_open_streams_connections_or_memory_behind()
    {
        await using var host = await GatewayTestHost.StartAsync(new GatewayTestOptions { ExtraBedrockYaml = "  pacing:\n    tokensPerSecond: 5" });
        var body = JsonSerializer.Serialize(new { model = "sonnet", max_tokens = 512, stream = true, messages = new[] { new { role = "user", content = string.Join(' ', Enumerable.Repeat("slow words", 60)) } } });
        const int Rounds = 40;
        // Two warm-up batches at the measured concurrency: Kestrel's, the connection pools' and ArrayPool's per-core
        // caches grow to their working size there (CI measured 11 MB after a one-stream warm-up, then 7 MB after one
        // batch: pool growth, not leaks), so what the three measured batches add is what abandoned streams keep.
        await AbandonBatchAsync(host, body, Rounds, expectedCancelled: Rounds);
        await AbandonBatchAsync(host, body, Rounds, expectedCancelled: Rounds * 2);
        var baseline = Memory();

        for (var batch = 3; batch <= 5; batch++)
        {
            await AbandonBatchAsync(host, body, Rounds, expectedCancelled: Rounds * batch);
        }

        await host.Usage.WaitAsync(Rounds * 5);
        Assert.All(host.Usage.Events, u => Assert.Equal(UsageOutcome.ClientCancelled, u.Outcome));
        // 120 abandoned streams: a leak of one pooled 64 KiB relay buffer each (7.5 MiB) would exceed this.
        Assert.InRange(Memory() - baseline, long.MinValue, 6L * 1024 * 1024);
    }

    private static async Task AbandonBatchAsync(GatewayTestHost host, string body, int rounds, int expectedCancelled)
    {
        await Task.WhenAll(Enumerable.Range(0, rounds).Select(_ => DisconnectAfterFirstEventAsync(host, "/v1/messages", body, bearer: false)));
        await WaitForAsync(() => host.Emulator.RequestLog.Snapshot().Count(e => e.Outcome == "ClientClosedRequest") == expectedCancelled, "every upstream call to be cancelled");
        await WaitForAsync(() => host.Gateway.Handler.OpenStreams == 0, "the gateway's open streams to return to 0");
    }

    private static long Memory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
