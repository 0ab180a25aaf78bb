using System.Buffers;
using System.IO.Pipelines;
using Basalt.Aws.EventStream;
using Basalt.Gateway.Anthropic;
using Basalt.Gateway.Policy;

namespace Basalt.Gateway.Streaming;

/// <summary>
/// Bedrock's event stream → Anthropic server-sent events, frame by frame (issue 8 items 4–5): each chunk's event
/// JSON goes out as <c>event: TYPE\ndata: JSON\n\n</c> and is flushed at once (no buffering: the first byte leaves
/// when Bedrock's first frame arrives), a <c>ping</c> follows <c>message_start</c> as on Anthropic's API, the
/// Bedrock-only <c>amazon-bedrock-invocationMetrics</c> is metered and dropped from <c>message_stop</c>, and an
/// exception frame or a cut stream ends with an <c>error</c> event, never a silent close (gateway.md §1.4).
/// </summary>
internal static class SseRelay
{
    private static readonly byte[] MessageStop = "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"u8.ToArray();
    private static readonly byte[] Ping = "event: ping\ndata: {\"type\": \"ping\"}\n\n"u8.ToArray();

    /// <returns>The error sent to the client, or null when the stream completed.</returns>
    public static async Task<AnthropicError?> RelayAsync(EventStreamMessage first, UpstreamFrameReader frames, PipeWriter output, UsageMeter meter, CancellationToken cancellationToken, AnswerFilter? answer = null)
    {
        var frame = first;
        try
        {
            while (frame is not null)
            {
                if (frame.MessageType is "exception" or "error")
                {
                    var error = AnthropicError.FromStreamException(frame.ExceptionType ?? frame.GetString(EventStreamMessage.ErrorCodeHeader), BedrockChunk.ExceptionMessage(frame));
                    await WriteErrorAsync(output, error, cancellationToken).ConfigureAwait(false);
                    return error;
                }

                if (BedrockChunk.IsChunk(frame))
                {
                    await WriteChunkAsync(frame, output, meter, answer, cancellationToken).ConfigureAwait(false);
                }

                frame = await frames.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (UpstreamIdleException e) when (!cancellationToken.IsCancellationRequested)
        {
            var error = AnthropicError.Api(e.Message);
            await WriteErrorAsync(output, error, cancellationToken).ConfigureAwait(false);
            return error;
        }
        catch (Exception e) when (e is IOException or EventStreamException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            var error = AnthropicError.Api("the upstream stream failed before it completed");
            await WriteErrorAsync(output, error, cancellationToken).ConfigureAwait(false);
            return error;
        }

        if (!meter.SawMessageStop)
        {
            var error = AnthropicError.Api("the upstream stream ended before message_stop");
            await WriteErrorAsync(output, error, cancellationToken).ConfigureAwait(false);
            return error;
        }

        return null;
    }

    private static async ValueTask WriteChunkAsync(EventStreamMessage frame, PipeWriter output, UsageMeter meter, AnswerFilter? answer, CancellationToken cancellationToken)
    {
        var json = BedrockChunk.Decode(frame.Payload.Span, out var length);
        if (json is null)
        {
            return;
        }

        try
        {
            var type = meter.Observe(json.AsSpan(0, length));
            if (type == AnthropicEventType.MessageStop)
            {
                output.Write(MessageStop);
            }
            else if (answer?.TransformEvent(type, json.AsSpan(0, length)) is { } replaced)
            {
                // The group's content policy changed this event (masked or restored text, a guardrail refusal).
                foreach (var replacement in replaced)
                {
                    Write(output, "event: "u8);
                    WriteAscii(output, AnthropicEventTypeOf(replacement, type));
                    Write(output, "\ndata: "u8);
                    output.Write(replacement);
                    Write(output, "\n\n"u8);
                }
            }
            else
            {
                Write(output, "event: "u8);
                WriteAscii(output, type);
                Write(output, "\ndata: "u8);
                output.Write(json.AsSpan(0, length));
                Write(output, "\n\n"u8);
                if (type == AnthropicEventType.MessageStart)
                {
                    output.Write(Ping);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(json);
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async ValueTask WriteErrorAsync(PipeWriter output, AnthropicError error, CancellationToken cancellationToken)
    {
        Write(output, "event: error\ndata: "u8);
        output.Write(error.ToJson(null));
        Write(output, "\n\n"u8);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void Write(PipeWriter output, ReadOnlySpan<byte> bytes) => output.Write(bytes);

    /// <summary>A replacement event keeps its own type (a held-back text delta goes out before a block's stop).</summary>
    private static string AnthropicEventTypeOf(byte[] json, string fallback) =>
        json.AsSpan().StartsWith("{\"type\":\"content_block_delta\""u8) ? "content_block_delta" : fallback;

    private static void WriteAscii(PipeWriter output, string text)
    {
        var span = output.GetSpan(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            span[i] = (byte)text[i];
        }

        output.Advance(text.Length);
    }
}
