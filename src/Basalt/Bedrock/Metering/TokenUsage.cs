namespace Basalt.Bedrock.Metering;

/// <summary>
/// The Anthropic Messages <c>usage</c> object (bedrock-and-clients §1, "Streaming"): <c>input_tokens</c>,
/// <c>output_tokens</c>, <c>cache_read_input_tokens</c> and <c>cache_creation_input_tokens</c>. In a stream,
/// <c>message_start</c> carries the input side and <c>message_delta</c> the cumulative totals.
/// <c>cache_creation.ephemeral_1h_input_tokens</c> is the part of the cache writes made with the 1-hour TTL.
/// </summary>
public readonly record struct TokenUsage(long InputTokens, long OutputTokens, long CacheReadInputTokens = 0, long CacheCreationInputTokens = 0, long CacheCreation1hInputTokens = 0);
