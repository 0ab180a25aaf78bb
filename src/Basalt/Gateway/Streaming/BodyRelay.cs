using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text.Json;
using Basalt.Bedrock;
using Basalt.Gateway.Hosting;

using Basalt.Gateway.Policy;

namespace Basalt.Gateway.Streaming;

/// <summary>
/// A non-stream answer passes through chunk by chunk as it arrives (never buffered whole). Usage sits at the end
/// of an Anthropic message (<c>"usage":{…}}</c>), so only the last <see cref="TailSize"/> bytes are kept to read it.
/// </summary>
internal static class BodyRelay
{
    public const int TailSize = 4096;

    /// <summary>
    /// Relays a whole non-stream upstream answer to the client, the same for both inbound formats: JSON content type,
    /// the length when the upstream gave one, the body chunk by chunk, then Bedrock's token-count headers into the meter.
    /// </summary>
    public static async Task RelayResponseAsync(HttpResponseMessage response, GatewayExchange exchange, UsageMeter meter, CancellationToken cancellationToken, AnswerFilter? answer = null)
    {
        exchange.SetResponseHeader("content-type", "application/json");
        if (answer is not null)
        {
            // The group's content policy reads the whole answer (a non-stream message is bounded by max_tokens).
            var whole = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var sent = answer.TransformMessage(whole) ?? whole;
            ReadUsage(sent.AsSpan(Math.Max(0, sent.Length - TailSize)), meter);
            exchange.SetResponseHeader("content-length", sent.Length.ToString(CultureInfo.InvariantCulture));
            await exchange.ResponseBody.WriteAsync(sent, cancellationToken).ConfigureAwait(false);
            meter.ObserveHeaders(HeaderNumber(response, BedrockHeaders.InputTokenCount), HeaderNumber(response, BedrockHeaders.OutputTokenCount));
            return;
        }

        if (response.Content.Headers.ContentLength is { } length)
        {
            exchange.SetResponseHeader("content-length", length.ToString(CultureInfo.InvariantCulture));
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await RelayAsync(stream, exchange.ResponseBody, meter, cancellationToken).ConfigureAwait(false);
        meter.ObserveHeaders(HeaderNumber(response, BedrockHeaders.InputTokenCount), HeaderNumber(response, BedrockHeaders.OutputTokenCount));
    }

    private static long? HeaderNumber(HttpResponseMessage response, string name)
        => response.Headers.TryGetValues(name, out var values) && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    public static async Task RelayAsync(Stream upstream, PipeWriter output, UsageMeter meter, CancellationToken cancellationToken)
    {
        var tail = ArrayPool<byte>.Shared.Rent(TailSize);
        var tailLength = 0;
        try
        {
            while (true)
            {
                var memory = output.GetMemory(16 * 1024);
                var read = await upstream.ReadAsync(memory, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                var chunk = memory.Span[..read];
                if (read >= TailSize)
                {
                    chunk[^TailSize..].CopyTo(tail);
                    tailLength = TailSize;
                }
                else
                {
                    var keep = Math.Min(tailLength, TailSize - read);
                    tail.AsSpan(tailLength - keep, keep).CopyTo(tail);
                    chunk.CopyTo(tail.AsSpan(keep));
                    tailLength = keep + read;
                }

                output.Advance(read);
                await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            ReadUsage(tail.AsSpan(0, tailLength), meter);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(tail);
        }
    }

    private static void ReadUsage(ReadOnlySpan<byte> tail, UsageMeter meter)
    {
        var at = tail.LastIndexOf("\"usage\""u8);
        if (at < 0)
        {
            return;
        }

        var rest = tail[(at + 7)..];
        var colon = rest.IndexOf((byte)':');
        if (colon < 0)
        {
            return;
        }

        try
        {
            var value = rest[(colon + 1)..];
            var reader = new Utf8JsonReader(value, isFinalBlock: false, default);
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject && reader.TrySkip())
            {
                meter.ObserveMessageUsage(value[..(int)reader.BytesConsumed].TrimStart(" \t\r\n"u8));
            }
        }
        catch (JsonException)
        {
            // Not an Anthropic message: nothing metered from the body (headers may still count).
        }
    }
}
