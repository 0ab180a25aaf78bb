namespace Basalt.Bedrock;

/// <summary>One page of a paginated control-plane listing; <see cref="NextToken"/> is null on the last page.</summary>
public sealed record BedrockPage<T>(IReadOnlyList<T> Items, string? NextToken);
