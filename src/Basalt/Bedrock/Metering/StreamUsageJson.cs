using System.Text.Json;

namespace Basalt.Bedrock.Metering;

/// <summary>
/// The wire names of stream usage, written in one place: the emulator writes <c>usage</c> and
/// <c>amazon-bedrock-invocationMetrics</c> with these methods and <see cref="StreamMeter"/> reads the same names, so
/// what the local AWS sends and what Basalt meters cannot drift apart.
/// </summary>
public static class StreamUsageJson
{
    /// <summary>The property of the last stream event that carries <see cref="InvocationMetrics"/>.</summary>
    public const string InvocationMetricsProperty = "amazon-bedrock-invocationMetrics";

    internal static ReadOnlySpan<byte> InputTokens => "input_tokens"u8;

    internal static ReadOnlySpan<byte> OutputTokens => "output_tokens"u8;

    internal static ReadOnlySpan<byte> CacheRead => "cache_read_input_tokens"u8;

    internal static ReadOnlySpan<byte> CacheCreation => "cache_creation_input_tokens"u8;

    /// <summary>The usage object's <c>cache_creation</c> split by TTL and its 1-hour field.</summary>
    internal static ReadOnlySpan<byte> CacheCreationByTtl => "cache_creation"u8;

    internal static ReadOnlySpan<byte> CacheCreation1h => "ephemeral_1h_input_tokens"u8;

    internal static ReadOnlySpan<byte> InputTokenCount => "inputTokenCount"u8;

    internal static ReadOnlySpan<byte> OutputTokenCount => "outputTokenCount"u8;

    internal static ReadOnlySpan<byte> InvocationLatency => "invocationLatency"u8;

    internal static ReadOnlySpan<byte> FirstByteLatency => "firstByteLatency"u8;

    internal static ReadOnlySpan<byte> CacheReadCount => "cacheReadInputTokenCount"u8;

    internal static ReadOnlySpan<byte> CacheWriteCount => "cacheWriteInputTokenCount"u8;

    /// <summary>Writes a <c>usage</c> object value (the caller wrote the property name).</summary>
    public static void WriteUsage(Utf8JsonWriter writer, TokenUsage usage)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteNumber(InputTokens, usage.InputTokens);
        writer.WriteNumber(CacheCreation, usage.CacheCreationInputTokens);
        writer.WriteNumber(CacheRead, usage.CacheReadInputTokens);
        writer.WriteNumber(OutputTokens, usage.OutputTokens);
        writer.WriteEndObject();
    }

    /// <summary>Writes the <c>amazon-bedrock-invocationMetrics</c> property and its object.</summary>
    public static void WriteInvocationMetrics(Utf8JsonWriter writer, InvocationMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject(InvocationMetricsProperty);
        writer.WriteNumber(InputTokenCount, metrics.InputTokenCount);
        writer.WriteNumber(OutputTokenCount, metrics.OutputTokenCount);
        writer.WriteNumber(InvocationLatency, metrics.InvocationLatencyMs);
        writer.WriteNumber(FirstByteLatency, metrics.FirstByteLatencyMs);
        writer.WriteNumber(CacheReadCount, metrics.CacheReadInputTokenCount);
        writer.WriteNumber(CacheWriteCount, metrics.CacheWriteInputTokenCount);
        writer.WriteEndObject();
    }
}
