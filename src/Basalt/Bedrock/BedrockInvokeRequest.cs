namespace Basalt.Bedrock;

/// <summary>
/// One InvokeModel / InvokeModelWithResponseStream call. <see cref="Body"/> is sent as is; for Claude build it with
/// <see cref="BedrockAnthropicBody"/>. Optional fields become the <c>X-Amzn-Bedrock-*</c> headers.
/// </summary>
public sealed class BedrockInvokeRequest
{
    /// <summary>A model id, inference-profile id or ARN; URL-encoded into the path by the client.</summary>
    public required string ModelId { get; init; }

    public required ReadOnlyMemory<byte> Body { get; init; }

    public string ContentType { get; init; } = "application/json";

    /// <summary>The wanted response type (<c>Accept</c>, or <c>X-Amzn-Bedrock-Accept</c> when streaming).</summary>
    public string Accept { get; init; } = "application/json";

    /// <summary><c>priority</c>, <c>default</c>, <c>flex</c> or <c>reserved</c>.</summary>
    public string? ServiceTier { get; init; }

    public string? GuardrailIdentifier { get; init; }

    public string? GuardrailVersion { get; init; }

    /// <summary><c>ENABLED</c>, <c>DISABLED</c> or <c>ENABLED_FULL</c>.</summary>
    public string? Trace { get; init; }

    /// <summary>Latency mode: <c>standard</c> or <c>optimized</c>.</summary>
    public string? PerformanceConfigLatency { get; init; }

    /// <summary>JSON metadata recorded in invocation logs only.</summary>
    public string? RequestMetadata { get; init; }

    /// <summary>More headers to send verbatim (they are signed with the rest).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> AdditionalHeaders { get; init; } = [];
}
