using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Basalt.Aws.EventStream;
using Basalt.Gateway.Tests.TestSupport;
using Basalt.Usage;

namespace Basalt.Gateway.Tests.Streaming;

/// <summary>
/// Issue 8 item 8: a stream whose upstream goes silent after its first byte for longer than
/// <c>limits.idleTimeoutSeconds</c> ends with a well-formed error (an SSE <c>error</c> event; a Bedrock
/// <c>modelTimeoutException</c> frame) and the upstream call is cancelled — the emulator's open stall only ends
/// when its client leaves, so its log entry proves the cancellation.
/// </summary>
public sealed class IdleTimeoutTests
{
    private const string Stall = "faults:\n  rules:\n    - fault: \"stall; after=3\"\n      services: [bedrock-runtime]";

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(25);
        }
    }

    [Fact]
    public async Task An_anthropic_stream_whose_upstream_goes_silent_ends_with_an_error_event_and_the_upstream_is_cancelled()
    {
        await using var host = await GatewayTestHost.StartAsync(new GatewayTestOptions { Faults = [Stall], IdleTimeoutSeconds = 2 });
        var watch = Stopwatch.StartNew();

        var result = await host.StreamAsync("this answer stalls after its first frames");

        watch.Stop();
        Assert.Equal(200, result.Status);
        Assert.Equal("message_start", result.Events[0]);
        Assert.Equal("error", result.Events[^1]);
        Assert.DoesNotContain("message_stop", result.Events);
        Assert.Equal("api_error", (string)result.Error!["error"]!["type"]!);
        Assert.Contains("idleTimeoutSeconds", (string)result.Error!["error"]!["message"]!, StringComparison.Ordinal);
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30));
        await WaitForAsync(() => host.Emulator.RequestLog.Snapshot().Any(e => e.Operation == "InvokeModelWithResponseStream" && e.Outcome == "Stalled"), "the emulator to log the stalled call as ended by its client");
        await WaitForAsync(() => host.Gateway.Handler.OpenStreams == 0, "the gateway's open streams to return to 0");
        var usage = Assert.Single(await host.Usage.WaitAsync(1));
        Assert.Equal(UsageOutcome.UpstreamError, usage.Outcome);
    }

    [Fact]
    public async Task A_bedrock_stream_whose_upstream_goes_silent_ends_with_a_model_timeout_exception_frame()
    {
        await using var host = await GatewayTestHost.StartAsync(new GatewayTestOptions { Faults = [Stall], IdleTimeoutSeconds = 2 });
        using var client = host.Client();
        var body = JsonSerializer.Serialize(new { anthropic_version = "bedrock-2023-05-31", max_tokens = 512, messages = new[] { new { role = "user", content = "this answer stalls too" } } });
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/model/{Uri.EscapeDataString(GatewayTestHost.SonnetProfile)}/invoke-with-response-stream") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + host.AliceKey);

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(200, (int)response.StatusCode);
        var frames = new List<EventStreamMessage>();
        var buffer = new ReadOnlySequence<byte>(bytes);
        while (EventStreamDecoder.TryReadMessage(ref buffer, out var frame))
        {
            frames.Add(frame);
        }

        Assert.True(buffer.IsEmpty, "the answer ends on a frame boundary");
        Assert.True(frames.Count >= 2);
        Assert.Equal("event", frames[0].MessageType);
        Assert.Equal("exception", frames[^1].MessageType);
        Assert.Equal("modelTimeoutException", frames[^1].ExceptionType);
        Assert.Contains("idleTimeoutSeconds", Encoding.UTF8.GetString(frames[^1].Payload.Span), StringComparison.Ordinal);
        await WaitForAsync(() => host.Emulator.RequestLog.Snapshot().Any(e => e.Operation == "InvokeModelWithResponseStream" && e.Outcome == "Stalled"), "the emulator to log the stalled call as ended by its client");
    }

    [Fact]
    public async Task A_slow_but_steady_stream_is_not_cut_by_the_idle_timeout()
    {
        // 5 tokens/s is one event every ~200 ms: never silent for 3 s (a margin for a loaded machine), though the
        // whole answer takes longer than that.
        await using var host = await GatewayTestHost.StartAsync(new GatewayTestOptions { IdleTimeoutSeconds = 3, ExtraBedrockYaml = "  pacing:\n    tokensPerSecond: 5" });

        var result = await host.StreamAsync("slow steady words that take a while to arrive and keep arriving one after another");

        Assert.Null(result.Error);
        Assert.Equal("message_stop", result.Events[^1]);
    }
}
