using Basalt.Bedrock.Metering;

namespace Basalt.Gateway.Streaming;

/// <summary>
/// One response's usage as the gateway records it (issue 8 item 5), metered by the library's one
/// <see cref="StreamMeter"/> from the events as they pass: <c>message_start.message.usage</c>, the cumulative
/// <c>message_delta.usage</c> and <c>amazon-bedrock-invocationMetrics</c> (gateway.md §2). A stream that ends
/// without final usage is estimated from its delta bytes (~4 bytes per token) and marked as an estimate.
/// </summary>
internal sealed class UsageMeter
{
    private readonly StreamMeter _meter = new();
    private long? _headerInput;
    private long? _headerOutput;

    public long InputTokens => Final.InputTokens;

    public long OutputTokens => Final.OutputTokens;

    public long CacheReadTokens => Final.CacheReadInputTokens;

    /// <summary>Cache writes with the default 5-minute TTL: the total less the 1-hour part.</summary>
    public long CacheWrite5mTokens => Math.Max(0, Final.CacheCreationInputTokens - Final.CacheCreation1hInputTokens);

    /// <summary>Cache writes with the 1-hour TTL (<c>usage.cache_creation.ephemeral_1h_input_tokens</c>), priced apart.</summary>
    public long CacheWrite1hTokens => Final.CacheCreation1hInputTokens;

    public bool SawMessageStop { get; private set; }

    public bool IsEstimate { get; private set; }

    private TokenUsage Final { get; set; }

    /// <summary>Observes one Anthropic stream event; returns its <c>type</c>.</summary>
    public string Observe(ReadOnlySpan<byte> json)
    {
        var type = AnthropicEventType.Read(json);
        if (type == AnthropicEventType.MessageStop)
        {
            SawMessageStop = true;
        }

        _meter.Observe(json);
        return type;
    }

    /// <summary>The <c>usage</c> object of a whole (non-stream) message, fed to the meter as the final usage.</summary>
    public void ObserveMessageUsage(ReadOnlySpan<byte> usageObject)
    {
        var wrapped = new byte[usageObject.Length + 10];
        "{\"usage\":"u8.CopyTo(wrapped);
        usageObject.CopyTo(wrapped.AsSpan(9));
        wrapped[^1] = (byte)'}';
        _meter.Observe(wrapped);
    }

    /// <summary>Token counts from Bedrock's non-stream response headers, used when the body gave none.</summary>
    public void ObserveHeaders(long? input, long? output)
    {
        _headerInput = input;
        _headerOutput = output;
    }

    /// <summary>Called when the response ended: settles the final counts, estimating when no final usage arrived.</summary>
    public void Complete()
    {
        var usage = _meter.Usage;
        if (_meter.HasFinalUsage)
        {
            Final = usage;
            return;
        }

        if (_headerInput is { } input && _headerOutput is { } output)
        {
            Final = usage with { InputTokens = input, OutputTokens = output };
            return;
        }

        IsEstimate = true;
        Final = usage with { OutputTokens = Math.Max(usage.OutputTokens, (_meter.OutputDeltaBytes + 3) / 4) };
    }
}
