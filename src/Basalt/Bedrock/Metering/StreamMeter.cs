using System.Text.Json;

namespace Basalt.Bedrock.Metering;

/// <summary>
/// Meters one Anthropic message stream as it passes, one event at a time (bedrock-and-clients §1, "Streaming"):
/// <c>message_start</c>'s <c>message.usage</c> (input and cache tokens, an initial output count), each
/// <c>message_delta</c>'s <c>usage</c> (cumulative totals: a present field replaces the earlier value, it is never
/// added) and <c>stop_reason</c>, and Bedrock's <c>amazon-bedrock-invocationMetrics</c> on the last event.
/// Allocation-light for the gateway's hot path: a forward-only <see cref="Utf8JsonReader"/> over the event bytes,
/// no document, and no strings except the stop reason once per stream. Not thread-safe: one meter per stream.
/// </summary>
public sealed class StreamMeter
{
    private long _input;
    private long _output;
    private long _cacheRead;
    private long _cacheCreation;
    private long _cacheCreation1h;

    /// <summary>The latest usage the stream reported (zero until <c>message_start</c>).</summary>
    public TokenUsage Usage => new(_input, _output, _cacheRead, _cacheCreation, _cacheCreation1h);

    /// <summary>Bedrock's own counts and latencies, when the stream carried them (its last event).</summary>
    public InvocationMetrics? InvocationMetrics { get; private set; }

    /// <summary>True once <c>message_start</c> was seen.</summary>
    public bool Started { get; private set; }

    /// <summary>
    /// True when the stream reported final usage (a <c>message_delta</c> usage or the invocation metrics); false
    /// means the stream ended early and <see cref="Usage"/> holds only what <c>message_start</c> said.
    /// </summary>
    public bool HasFinalUsage { get; private set; }

    /// <summary>The <c>stop_reason</c> of the <c>message_delta</c> (<c>end_turn</c>, <c>max_tokens</c>, <c>tool_use</c>…).</summary>
    public string? StopReason { get; private set; }

    /// <summary>
    /// Bytes of generated text, thinking and tool-input JSON seen in <c>content_block_delta</c> events, as sent
    /// (JSON-escaped): the basis of an estimate when a stream ends without final usage.
    /// </summary>
    public long OutputDeltaBytes { get; private set; }

    /// <summary>Events observed, and how many of them were not a JSON object (counted, never thrown).</summary>
    public int EventCount { get; private set; }

    public int MalformedEventCount { get; private set; }

    /// <summary>Observes a decoded Bedrock stream frame; only chunks carry Anthropic events.</summary>
    public void Observe(BedrockStreamEvent streamEvent)
    {
        ArgumentNullException.ThrowIfNull(streamEvent);
        if (streamEvent.Kind == BedrockStreamEventKind.Chunk)
        {
            Observe(streamEvent.EventJson.Span);
        }
    }

    /// <summary>Observes one Anthropic stream event's JSON (<c>{"type":"message_delta",…}</c>).</summary>
    public void Observe(ReadOnlySpan<byte> eventJson)
    {
        EventCount++;
        try
        {
            var reader = new Utf8JsonReader(eventJson);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                MalformedEventCount++;
                return;
            }

            // Property order is not guaranteed, so the event is recognised by what it carries: only message_start
            // has "message", only message_delta has a top-level "usage", only the last event has the metrics.
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("message"u8))
                {
                    reader.Read();
                    ReadMessage(ref reader);
                }
                else if (reader.ValueTextEquals("usage"u8))
                {
                    reader.Read();
                    HasFinalUsage |= ReadUsage(ref reader);
                }
                else if (reader.ValueTextEquals("delta"u8))
                {
                    reader.Read();
                    ReadDelta(ref reader);
                }
                else if (reader.ValueTextEquals(StreamUsageJson.InvocationMetricsProperty))
                {
                    reader.Read();
                    ReadMetrics(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            MalformedEventCount++;
        }
    }

    private void ReadMessage(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        Started = true;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isUsage = reader.ValueTextEquals("usage"u8);
            reader.Read();
            if (isUsage)
            {
                ReadUsage(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    /// <summary>Reads a usage object; each present number replaces the earlier value. True when it held any count.</summary>
    private bool ReadUsage(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return false;
        }

        var any = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            ref var target = ref _input;
            var known = true;
            if (reader.ValueTextEquals(StreamUsageJson.InputTokens))
            {
                target = ref _input;
            }
            else if (reader.ValueTextEquals(StreamUsageJson.OutputTokens))
            {
                target = ref _output;
            }
            else if (reader.ValueTextEquals(StreamUsageJson.CacheRead))
            {
                target = ref _cacheRead;
            }
            else if (reader.ValueTextEquals(StreamUsageJson.CacheCreation))
            {
                target = ref _cacheCreation;
            }
            else if (reader.ValueTextEquals(StreamUsageJson.CacheCreationByTtl))
            {
                // {"ephemeral_5m_input_tokens":…,"ephemeral_1h_input_tokens":…}: the split of cache_creation_input_tokens
                // by TTL; 1-hour writes are priced higher (models.md prices), so they are kept apart.
                reader.Read();
                any |= ReadCacheCreationByTtl(ref reader);
                continue;
            }
            else
            {
                known = false;
            }

            reader.Read();
            if (known && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value))
            {
                target = value;
                any = true;
            }
            else
            {
                reader.Skip();
            }
        }

        return any;
    }

    private bool ReadCacheCreationByTtl(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return false;
        }

        var any = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isOneHour = reader.ValueTextEquals(StreamUsageJson.CacheCreation1h);
            reader.Read();
            if (isOneHour && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value))
            {
                _cacheCreation1h = value;
                any = true;
            }
            else
            {
                reader.Skip();
            }
        }

        return any;
    }

    private void ReadDelta(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isText = reader.ValueTextEquals("text"u8) || reader.ValueTextEquals("thinking"u8) || reader.ValueTextEquals("partial_json"u8);
            var isStop = reader.ValueTextEquals("stop_reason"u8);
            reader.Read();
            if (isText && reader.TokenType == JsonTokenType.String)
            {
                OutputDeltaBytes += reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
            }
            else if (isStop && reader.TokenType == JsonTokenType.String)
            {
                StopReason = reader.GetString();
            }
            else
            {
                reader.Skip();
            }
        }
    }

    private void ReadMetrics(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        long input = 0, output = 0, latency = 0, firstByte = 0, cacheRead = 0, cacheWrite = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            var escaped = reader.ValueIsEscaped;
            reader.Read();
            if (escaped || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var value))
            {
                reader.Skip();
                continue;
            }

            if (name.SequenceEqual(StreamUsageJson.InputTokenCount))
            {
                input = value;
            }
            else if (name.SequenceEqual(StreamUsageJson.OutputTokenCount))
            {
                output = value;
            }
            else if (name.SequenceEqual(StreamUsageJson.InvocationLatency))
            {
                latency = value;
            }
            else if (name.SequenceEqual(StreamUsageJson.FirstByteLatency))
            {
                firstByte = value;
            }
            else if (name.SequenceEqual(StreamUsageJson.CacheReadCount))
            {
                cacheRead = value;
            }
            else if (name.SequenceEqual(StreamUsageJson.CacheWriteCount))
            {
                cacheWrite = value;
            }
        }

        InvocationMetrics = new InvocationMetrics(input, output, latency, firstByte, cacheRead, cacheWrite);
        HasFinalUsage = true;
    }
}
