namespace Basalt.Bedrock.Metering;

/// <summary>
/// Bedrock's <c>amazon-bedrock-invocationMetrics</c>, carried by the last stream event (bedrock-and-clients §1):
/// token counts as Bedrock bills them and the latencies it measured, in milliseconds.
/// </summary>
public readonly record struct InvocationMetrics(
    long InputTokenCount,
    long OutputTokenCount,
    long InvocationLatencyMs,
    long FirstByteLatencyMs,
    long CacheReadInputTokenCount = 0,
    long CacheWriteInputTokenCount = 0);
