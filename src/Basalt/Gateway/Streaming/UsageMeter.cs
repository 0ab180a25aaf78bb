using System.Text.Json;

namespace Basalt.Gateway.Streaming;

/// <summary>
/// Counts a response's tokens from its own events as they pass (issue 8 item 5): <c>message_start.message.usage</c>
/// is authoritative for input and cache tokens, the last <c>message_delta.usage</c> for output (cumulative), and
/// <c>amazon-bedrock-invocationMetrics</c> on the final event fills what is still missing (gateway.md §2). A stream
/// that ends without final usage is estimated from the bytes of its deltas (~4 bytes per token) and marked so.
/// </summary>
internal sealed class UsageMeter
{
    private bool _sawFinalUsage;
    private long _deltaBytes;

    public long InputTokens { get; private set; }

    public long OutputTokens { get; private set; }

    public long CacheReadTokens { get; private set; }

    public long CacheWrite5mTokens { get; private set; }

    public long CacheWrite1hTokens { get; private set; }

    public bool SawMessageStop { get; private set; }

    public bool IsEstimate => !_sawFinalUsage;

    /// <summary>Observes one Anthropic stream event; returns its <c>type</c>.</summary>
    public string Observe(ReadOnlySpan<byte> json)
    {
        var type = AnthropicEventType.Read(json);
        switch (type)
        {
            case AnthropicEventType.ContentBlockDelta:
                _deltaBytes += json.Length;
                break;
            case AnthropicEventType.MessageStart:
                WithDocument(json, root =>
                {
                    if (root.TryGetProperty("message", out var message) && message.TryGetProperty("usage", out var usage))
                    {
                        ReadUsage(usage);
                    }
                });
                break;
            case AnthropicEventType.MessageDelta:
                WithDocument(json, root =>
                {
                    if (root.TryGetProperty("usage", out var usage))
                    {
                        ReadUsage(usage);
                        if (usage.TryGetProperty("output_tokens", out _))
                        {
                            _sawFinalUsage = true;
                        }
                    }
                });
                break;
            case AnthropicEventType.MessageStop:
                SawMessageStop = true;
                WithDocument(json, root =>
                {
                    if (root.TryGetProperty("amazon-bedrock-invocationMetrics", out var metrics))
                    {
                        ReadMetrics(metrics);
                    }
                });
                break;
        }

        return type;
    }

    /// <summary>Reads the <c>usage</c> object of a whole (non-stream) message.</summary>
    public void ObserveMessageUsage(JsonElement usage)
    {
        ReadUsage(usage);
        _sawFinalUsage = usage.TryGetProperty("output_tokens", out _);
    }

    /// <summary>Token counts from Bedrock's non-stream response headers, when the body gave none.</summary>
    public void ObserveHeaders(long? input, long? output)
    {
        if (!_sawFinalUsage && input is not null && output is not null)
        {
            InputTokens = input.Value;
            OutputTokens = output.Value;
            _sawFinalUsage = true;
        }
    }

    /// <summary>Called when the stream ended: fills an estimate when no final usage arrived.</summary>
    public void Complete()
    {
        if (!_sawFinalUsage)
        {
            OutputTokens = Math.Max(OutputTokens, (_deltaBytes + 3) / 4);
        }
    }

    private void ReadUsage(JsonElement usage)
    {
        if (usage.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (Get(usage, "input_tokens") is { } input)
        {
            InputTokens = input;
        }

        if (Get(usage, "output_tokens") is { } output)
        {
            OutputTokens = output;
        }

        if (Get(usage, "cache_read_input_tokens") is { } read)
        {
            CacheReadTokens = read;
        }

        if (usage.TryGetProperty("cache_creation", out var creation) && creation.ValueKind == JsonValueKind.Object)
        {
            CacheWrite5mTokens = Get(creation, "ephemeral_5m_input_tokens") ?? CacheWrite5mTokens;
            CacheWrite1hTokens = Get(creation, "ephemeral_1h_input_tokens") ?? CacheWrite1hTokens;
        }
        else if (Get(usage, "cache_creation_input_tokens") is { } write)
        {
            CacheWrite5mTokens = write;
        }
    }

    private void ReadMetrics(JsonElement metrics)
    {
        if (metrics.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (InputTokens == 0 && Get(metrics, "inputTokenCount") is { } input)
        {
            InputTokens = input;
        }

        if (!_sawFinalUsage && Get(metrics, "outputTokenCount") is { } output)
        {
            OutputTokens = output;
            _sawFinalUsage = true;
        }

        if (CacheReadTokens == 0 && Get(metrics, "cacheReadInputTokenCount") is { } read)
        {
            CacheReadTokens = read;
        }

        if (CacheWrite5mTokens == 0 && Get(metrics, "cacheWriteInputTokenCount") is { } write)
        {
            CacheWrite5mTokens = write;
        }
    }

    private static long? Get(JsonElement o, string name)
        => o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;

    private static void WithDocument(ReadOnlySpan<byte> json, Action<JsonElement> read)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var doc = JsonDocument.ParseValue(ref reader);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                read(doc.RootElement);
            }
        }
        catch (JsonException)
        {
            // A malformed event is relayed as it came; it simply meters nothing.
        }
    }
}
