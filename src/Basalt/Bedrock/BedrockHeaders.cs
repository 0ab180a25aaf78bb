namespace Basalt.Bedrock;

/// <summary>Header names of the Bedrock runtime API (spec bedrock-and-clients §1).</summary>
public static class BedrockHeaders
{
    public const string Accept = "X-Amzn-Bedrock-Accept";
    public const string Trace = "X-Amzn-Bedrock-Trace";
    public const string GuardrailIdentifier = "X-Amzn-Bedrock-GuardrailIdentifier";
    public const string GuardrailVersion = "X-Amzn-Bedrock-GuardrailVersion";
    public const string PerformanceConfigLatency = "X-Amzn-Bedrock-PerformanceConfig-Latency";
    public const string ServiceTier = "X-Amzn-Bedrock-Service-Tier";
    public const string RequestMetadata = "X-Amzn-Bedrock-Request-Metadata";
    public const string ContentType = "X-Amzn-Bedrock-Content-Type";
    public const string RequestId = "x-amzn-RequestId";
    public const string ErrorType = "X-Amzn-ErrorType";
    public const string InputTokenCount = "x-amzn-bedrock-input-token-count";
    public const string OutputTokenCount = "x-amzn-bedrock-output-token-count";
    public const string InvocationLatency = "x-amzn-bedrock-invocation-latency";
    public const string EventStreamContentType = "application/vnd.amazon.eventstream";
}
