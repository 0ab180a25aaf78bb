using System.Text;
using Basalt.Gateway.Streaming;

namespace Basalt.Gateway.Tests.Streaming;

/// <summary>
/// 1-hour cache writes are recorded apart from 5-minute ones (they are priced higher): Anthropic's usage object
/// splits <c>cache_creation_input_tokens</c> into <c>cache_creation.ephemeral_5m_input_tokens</c> and
/// <c>ephemeral_1h_input_tokens</c>, and the gateway's meter keeps that split for the <c>UsageEvent</c>.
/// </summary>
public sealed class CacheWriteUsageTests
{
    [Fact]
    public void A_stream_with_one_hour_cache_writes_records_them_apart_from_five_minute_writes()
    {
        var meter = new UsageMeter();
        meter.Observe(Encoding.UTF8.GetBytes("""{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"usage":{"input_tokens":12,"cache_creation_input_tokens":3000,"cache_read_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":1000,"ephemeral_1h_input_tokens":2000},"output_tokens":1}}}"""));
        meter.Observe(Encoding.UTF8.GetBytes("""{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":9}}"""));
        meter.Observe(Encoding.UTF8.GetBytes("""{"type":"message_stop"}"""));
        meter.Complete();

        Assert.Equal(2000, meter.CacheWrite1hTokens);
        Assert.Equal(1000, meter.CacheWrite5mTokens);
        Assert.Equal(12, meter.InputTokens);
        Assert.Equal(9, meter.OutputTokens);
        Assert.False(meter.IsEstimate);
    }

    [Fact]
    public void A_whole_message_usage_with_one_hour_writes_is_recorded_and_a_usage_without_the_split_counts_as_five_minute()
    {
        var split = new UsageMeter();
        split.ObserveMessageUsage("""{"input_tokens":5,"output_tokens":7,"cache_creation_input_tokens":400,"cache_creation":{"ephemeral_1h_input_tokens":400,"ephemeral_5m_input_tokens":0}}"""u8);
        split.Complete();
        var plain = new UsageMeter();
        plain.ObserveMessageUsage("""{"input_tokens":5,"output_tokens":7,"cache_creation_input_tokens":400}"""u8);
        plain.Complete();

        Assert.Equal((400, 0), (split.CacheWrite1hTokens, split.CacheWrite5mTokens));
        Assert.Equal((0, 400), (plain.CacheWrite1hTokens, plain.CacheWrite5mTokens));
    }
}
