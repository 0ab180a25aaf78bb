namespace Basalt.Emulator.Bedrock;

/// <summary>
/// A foundation model the emulator serves. <see cref="Geographies"/> are the system inference-profile prefixes
/// AWS publishes for it (<c>us</c>, <c>eu</c>, <c>apac</c>, <c>jp</c>, <c>au</c>, <c>ca</c>, <c>us-gov</c>,
/// <c>global</c>); only those usable from the configured region are offered. <see cref="OnDemand"/> false means the
/// bare foundation-model ID is rejected the way Bedrock rejects it for newer Claude models ("on-demand throughput
/// isn't supported"), so callers must go through an inference profile.
/// </summary>
internal sealed record BedrockModelDefinition(
    string Id,
    string Name,
    IReadOnlyList<string> Geographies,
    int MaxOutputTokens,
    bool OnDemand)
{
    private static readonly System.Buffers.SearchValues<char> VersionChars = System.Buffers.SearchValues.Create("0123456789:");

    public string ProviderName { get; init; } = "Anthropic";

    /// <summary>The <c>model</c> field of Anthropic responses: <c>anthropic.claude-x-v1:0</c> becomes <c>claude-x</c>.</summary>
    public string ResponseName
    {
        get
        {
            var name = Id.StartsWith("anthropic.", StringComparison.Ordinal) ? Id["anthropic.".Length..] : Id;
            var version = name.LastIndexOf("-v", StringComparison.Ordinal);
            return version > 0 && name.AsSpan(version + 2).IndexOfAnyExcept(VersionChars) < 0 ? name[..version] : name;
        }
    }

    /// <summary>The built-in list (overridable with <c>bedrock.models</c>). Output limits are the models' published maxima.</summary>
    public static IReadOnlyList<BedrockModelDefinition> BuiltIn { get; } =
    [
        new("anthropic.claude-sonnet-4-5-20250929-v1:0", "Claude Sonnet 4.5", ["us", "eu", "apac", "jp", "au", "global", "us-gov"], 64000, OnDemand: false),
        new("anthropic.claude-sonnet-4-20250514-v1:0", "Claude Sonnet 4", ["us", "eu", "apac", "global"], 64000, OnDemand: false),
        new("anthropic.claude-haiku-4-5-20251001-v1:0", "Claude Haiku 4.5", ["us", "eu", "apac", "jp", "au", "global"], 64000, OnDemand: false),
        new("anthropic.claude-opus-4-1-20250805-v1:0", "Claude Opus 4.1", ["us"], 32000, OnDemand: false),
    ];
}
