using Basalt.Gateway.Routing;
using Basalt.Gateway.Tests.TestSupport;

namespace Basalt.Gateway.Tests.Routing;

/// <summary>
/// The fault matrix against the emulator's faults (issue 8, "Done when"): two upstreams, faults injected in the
/// first. Before the first byte the client sees no error (the second upstream answers); after it, a well-formed
/// <c>error</c> event; a dead upstream is skipped by its breaker after the threshold (counted in its request log).
/// </summary>
public sealed class FailoverTests
{
    private static string Fault(string spec) => $"faults:\n  rules:\n    - fault: \"{spec}\"\n      services: [bedrock-runtime]";

    [Theory]
    [InlineData("throttle")]
    [InlineData("throttle; retry-after=1")]
    [InlineData("throttle; retry-after=30")]
    [InlineData("500")]
    [InlineData("503")]
    [InlineData("model-not-ready")]
    [InlineData("reset; after=0")]
    [InlineData("stream-exception; after=0; type=serviceUnavailableException")]
    [InlineData("stall; after=0; ms=20000")]
    public async Task A_fault_before_the_first_byte_is_invisible_to_the_client(string fault)
    {
        await using var host = await GatewayTestHost.StartAsync(new GatewayTestOptions { Upstreams = 2, Faults = [Fault(fault)], FirstByteTimeoutSeconds = 2 });

        var result = await host.StreamAsync("failover please");

        Assert.Equal(200, result.Status);
        Assert.Null(result.Error);
        Assert.Equal("failover please", result.Text);
        Assert.Equal("message_stop", result.Events[^1]);
        Assert.Equal("region1", result.Upstream);
        var usage = Assert.Single(await host.Usage.WaitAsync(1));
        Assert.Equal(2, usage.Attempts);
        Assert.Equal("region1", usage.Upstream);
    }

    [Fact]
    public async Task A_dead_region_is_skipped_and_costs_only_one_failure()
    {
        await using var host = await GatewayTestHost.StartAsync(new GatewayTestOptions { Upstreams = 2, BreakerThreshold = 1 });
        await host.Emulators[0].DisposeAsync();

        var first = await host.StreamAsync("region down one");
        var second = await host.StreamAsync("region down two");

        Assert.Equal("region down one", first.Text);
        Assert.Equal("region down two", second.Text);
        Assert.Equal(BreakerState.Open, host.Gateway.Handler.BreakerStates["region0"]);
        var usages = await host.Usage.WaitAsync(2);
        Assert.Equal([2, 1], usages.Select(u => u.Attempts));
    }

    [Theory]
    [InlineData("stream-exception; after=3; type=modelStreamErrorException", "api_error")]
    [InlineData("stream-exception; after=3; type=throttlingException", "rate_limit_error")]
    [InlineData("reset; after=3", "api_error")]
    public async Task A_fault_after_the_first_byte_ends_the_stream_with_an_error_event_and_is_never_retried(string fault, string errorType)
    {
        await using var host = await GatewayTestHost.StartAsync(new GatewayTestOptions { Upstreams = 2, Faults = [Fault(fault)] });

        var result = await host.StreamAsync("this stream will break in the middle of its answer");

        Assert.Equal(200, result.Status);
        Assert.Equal("region0", result.Upstream);
        Assert.Equal("message_start", result.Events[0]);
        Assert.Equal("error", result.Events[^1]);
        Assert.Equal(errorType, (string)result.Error!["error"]!["type"]!);
        Assert.DoesNotContain(host.Emulators[1].RequestLog.Snapshot(), e => e.Operation is "InvokeModel" or "InvokeModelWithResponseStream" or "CountTokens");
    }

    [Fact]
    public async Task The_breaker_opens_after_its_threshold_so_a_failing_upstream_sees_only_that_many_calls()
    {
        await using var host = await GatewayTestHost.StartAsync(new GatewayTestOptions { Upstreams = 2, Faults = [Fault("503")], BreakerThreshold = 3 });

        for (var i = 0; i < 8; i++)
        {
            var result = await host.StreamAsync($"request {i}");
            Assert.Equal($"request {i}", result.Text);
        }

        var failing = host.Emulators[0].RequestLog.Snapshot().Count(e => e.Operation == "InvokeModelWithResponseStream");
        var healthy = host.Emulators[1].RequestLog.Snapshot().Count(e => e.Operation == "InvokeModelWithResponseStream");
        Assert.Equal(3, failing);
        Assert.Equal(8, healthy);
        Assert.Equal(BreakerState.Open, host.Gateway.Handler.BreakerStates["region0"]);
    }

    [Fact]
    public async Task With_one_upstream_a_persistent_throttle_reaches_the_client_as_rate_limit_error_with_retry_after()
    {
        await using var host = await GatewayTestHost.StartAsync(new GatewayTestOptions { Upstreams = 1, Faults = [Fault("throttle; retry-after=1")], BreakerThreshold = 10 });

        var result = await host.StreamAsync("throttled");

        Assert.Equal(429, result.Status);
        Assert.Equal("rate_limit_error", (string)result.Error!["error"]!["type"]!);
    }
}
