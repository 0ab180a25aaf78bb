using System.Text;
using Basalt.Aws.EventStream;
using Basalt.Bedrock;

namespace Basalt.Tests.Bedrock;

public sealed class BedrockStreamEventTests
{
    [Fact]
    public void A_chunk_decodes_to_the_anthropic_event_json()
    {
        var json = """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"hé"}}""";
        var payload = Encoding.UTF8.GetBytes($$"""{"bytes":"{{Convert.ToBase64String(Encoding.UTF8.GetBytes(json))}}","p":"abcdefgh"}""");
        var frame = EventStreamDecoder.Parse(EventStreamEncoder.Encode(EventStreamMessage.Event("chunk", payload)));

        var e = BedrockStreamEvent.From(frame);

        Assert.Equal(BedrockStreamEventKind.Chunk, e.Kind);
        Assert.Equal(json, Encoding.UTF8.GetString(e.EventJson.Span));
        Assert.Equal("content_block_delta", e.EventType);
        Assert.Equal(frame.RawFrame.ToArray(), e.RawFrame.ToArray());
    }

    [Fact]
    public void An_exception_frame_becomes_a_typed_stream_error()
    {
        var frame = EventStreamMessage.Exception("throttlingException", "{\"message\":\"Too many tokens, please wait before trying again.\"}"u8.ToArray());

        var e = BedrockStreamEvent.From(frame);
        var error = e.ToException();

        Assert.Equal(BedrockStreamEventKind.Exception, e.Kind);
        Assert.Equal("throttlingException", e.ExceptionType);
        Assert.Equal("ThrottlingException", error.ErrorType);
        Assert.Equal("Too many tokens, please wait before trying again.", error.ErrorMessage);
        Assert.True(error.IsStreamException);
        Assert.False(error.IsRetryable);
    }

    [Fact]
    public void A_chunk_without_bytes_is_a_format_error()
    {
        var frame = EventStreamMessage.Event("chunk", "{\"nope\":1}"u8.ToArray());

        Assert.Throws<EventStreamException>(() => BedrockStreamEvent.From(frame));
    }
}
