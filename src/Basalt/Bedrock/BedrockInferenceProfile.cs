namespace Basalt.Bedrock;

/// <summary>An entry of <c>GET /inference-profiles</c> (spec bedrock-and-clients §2).</summary>
public sealed record BedrockInferenceProfile(
    string Id,
    string? Name,
    string? Arn,
    string? Type,
    string? Status,
    string? Description,
    IReadOnlyList<string> ModelArns)
{
    public bool IsActive => Status is null || string.Equals(Status, "ACTIVE", StringComparison.OrdinalIgnoreCase);
}
