using System.Text;
using System.Text.Json;
using Basalt.Bedrock.Metering;

namespace Basalt.Tests.Bedrock.Metering;

public sealed class StreamMeterTests
{
    // The event sequence of an Anthropic Messages stream as Bedrock delivers it (bedrock-and-clients §1).
    private static readonly string[] Stream =
    [
        """{"type":"message_start","message":{"id":"msg_bdrk_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":25,"cache_creation_input_tokens":7,"cache_read_input_tokens":3,"output_tokens":1}}}""",
        """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""",
        """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}""",
        """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":", world"}}""",
        """{"type":"content_block_stop","index":0}""",
        """{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":15}}""",
        """{"type":"message_stop","amazon-bedrock-invocationMetrics":{"inputTokenCount":25,"outputTokenCount":15,"invocationLatency":812,"firstByteLatency":340,"cacheReadInputTokenCount":3,"cacheWriteInputTokenCount":7}}""",
    ];

    [Fact]
    public void A_complete_stream_yields_start_usage_cumulative_output_stop_reason_and_bedrock_metrics()
    {
        var meter = Meter(Stream);

        Assert.Equal(new TokenUsage(25, 15, 3, 7), meter.Usage);
        Assert.Equal(new InvocationMetrics(25, 15, 812, 340, 3, 7), meter.InvocationMetrics);
        Assert.Equal("end_turn", meter.StopReason);
        Assert.True(meter.Started);
        Assert.True(meter.HasFinalUsage);
        Assert.Equal(12, meter.OutputDeltaBytes);
        Assert.Equal((7, 0), (meter.EventCount, meter.MalformedEventCount));
    }

    [Fact]
    public void Message_delta_counts_replace_earlier_ones_and_are_never_added()
    {
        var meter = Meter(
            """{"type":"message_start","message":{"usage":{"input_tokens":10,"output_tokens":1}}}""",
            """{"type":"message_delta","delta":{"stop_reason":"max_tokens"},"usage":{"output_tokens":4}}""",
            """{"usage":{"output_tokens":9,"input_tokens":12,"cache_read_input_tokens":5},"type":"message_delta","delta":{"stop_reason":"max_tokens"}}""");

        Assert.Equal(new TokenUsage(12, 9, 5, 0), meter.Usage);
        Assert.Equal("max_tokens", meter.StopReason);
        Assert.Null(meter.InvocationMetrics);
    }

    [Fact]
    public void A_stream_cut_before_message_delta_has_no_final_usage_but_keeps_what_it_saw()
    {
        var meter = Meter(Stream[..4]);

        Assert.False(meter.HasFinalUsage);
        Assert.Equal(new TokenUsage(25, 1, 3, 7), meter.Usage);
        Assert.Equal(12, meter.OutputDeltaBytes);
        Assert.Null(meter.StopReason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[1,2]")]
    [InlineData("""{"type":"message_delta","usage":{"output_tokens":""")]
    [InlineData("not json")]
    public void Malformed_events_are_counted_not_thrown(string json)
    {
        var meter = Meter(json);

        Assert.Equal((1, 1), (meter.EventCount, meter.MalformedEventCount));
        Assert.False(meter.HasFinalUsage);
    }

    [Fact]
    public void Usage_written_by_the_shared_writer_is_read_back_by_the_meter()
    {
        var start = Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("type", "message_start");
            w.WriteStartObject("message");
            w.WritePropertyName("usage");
            StreamUsageJson.WriteUsage(w, new TokenUsage(40, 1, 2, 3));
            w.WriteEndObject();
            w.WriteEndObject();
        });
        var stop = Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("type", "message_stop");
            StreamUsageJson.WriteInvocationMetrics(w, new InvocationMetrics(40, 17, 90, 30));
            w.WriteEndObject();
        });

        var meter = Meter(start, stop);

        Assert.Equal(new TokenUsage(40, 1, 2, 3), meter.Usage);
        Assert.Equal(new InvocationMetrics(40, 17, 90, 30), meter.InvocationMetrics);
        Assert.Contains("\"amazon-bedrock-invocationMetrics\":{\"inputTokenCount\":40,\"outputTokenCount\":17,\"invocationLatency\":90,\"firstByteLatency\":30,\"cacheReadInputTokenCount\":0,\"cacheWriteInputTokenCount\":0}", stop, StringComparison.Ordinal);
    }

    private static StreamMeter Meter(params string[] events)
    {
        var meter = new StreamMeter();
        foreach (var e in events)
        {
            meter.Observe(Encoding.UTF8.GetBytes(e));
        }

        return meter;
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
