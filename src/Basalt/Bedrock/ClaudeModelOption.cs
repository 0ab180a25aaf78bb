namespace Basalt.Bedrock;

/// <summary>A Claude model usable in a region, as discovery offers it: <see cref="Id"/> is what to send as the model id.</summary>
public sealed record ClaudeModelOption(
    string Id,
    string DisplayName,
    ClaudeModelRouting Routing,
    string? FoundationModelId,
    string? Family,
    string? Version,
    string? ReleaseDate);
