using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Basalt.Aws.EventStream;

namespace Basalt.Gateway.Streaming;

/// <summary>
/// Bedrock-format streams pass through frame for frame (gateway.md §1.2: the client's content-type guard wants
/// <c>application/vnd.amazon.eventstream</c> and real frames): each CRC-checked frame is written as the exact bytes
/// that arrived and flushed, while its chunk is decoded only to meter usage. A group's content policy (issue 12) may
/// replace a chunk's event (text masked or placeholders restored): that chunk is re-encoded, every other frame
/// still goes out as the bytes that arrived. A transport failure mid-stream ends with a well-formed
/// <c>internalServerException</c> frame, which AWS SDKs raise as a typed error.
/// </summary>
internal static class EventStreamRelay
{
    /// <returns>The exception type sent to the client (the upstream's or our own), or null when the stream completed.</returns>
    public static async Task<string?> RelayAsync(EventStreamMessage first, UpstreamFrameReader frames, PipeWriter output, UsageMeter meter, CancellationToken cancellationToken, Policy.AnswerFilter? answer = null)
    {
        var frame = first;
        try
        {
            while (frame is not null)
            {
                var replaced = false;
                if (BedrockChunk.IsChunk(frame))
                {
                    var json = BedrockChunk.Decode(frame.Payload.Span, out var length);
                    if (json is not null)
                    {
                        try
                        {
                            var type = meter.Observe(json.AsSpan(0, length));
                            if (answer?.TransformEvent(type, json.AsSpan(0, length)) is { } events)
                            {
                                foreach (var e in events)
                                {
                                    EventStreamEncoder.Write(BedrockChunk.Encode(e), output);
                                }

                                replaced = true;
                            }
                        }
                        finally
                        {
                            ArrayPool<byte>.Shared.Return(json);
                        }
                    }
                }

                if (replaced)
                {
                    await output.FlushAsync(cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await output.WriteAsync(frame.RawFrame, cancellationToken).ConfigureAwait(false);
                }
                if (frame.MessageType is "exception" or "error")
                {
                    return frame.ExceptionType ?? "error";
                }

                frame = await frames.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or EventStreamException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            await WriteExceptionAsync(output, "internalServerException", "The upstream stream failed before it completed.", cancellationToken).ConfigureAwait(false);
            return "internalServerException";
        }

        if (!meter.SawMessageStop)
        {
            await WriteExceptionAsync(output, "internalServerException", "The upstream stream ended before message_stop.", cancellationToken).ConfigureAwait(false);
            return "internalServerException";
        }

        return null;
    }

    public static async ValueTask WriteExceptionAsync(PipeWriter output, string type, string message, CancellationToken cancellationToken)
    {
        var payload = Hosting.ResponseWriter.MessageJson(message);
        EventStreamEncoder.Write(EventStreamMessage.Exception(type, payload), output);
        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    internal static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
