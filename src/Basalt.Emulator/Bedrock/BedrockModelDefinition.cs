using Basalt.Bedrock.Models;

namespace Basalt.Emulator.Bedrock;

/// <summary>
/// A foundation model the emulator serves. <see cref="Geographies"/> are the system inference-profile prefixes
/// AWS publishes for it (<c>us</c>, <c>eu</c>, <c>apac</c>, <c>jp</c>, <c>au</c>, <c>ca</c>, <c>us-gov</c>,
/// <c>global</c>); only those usable from the configured region are offered. <see cref="OnDemand"/> false means the
/// bare foundation-model ID is rejected the way Bedrock rejects it for newer Claude models ("on-demand throughput
/// isn't supported"), so callers must go through an inference profile. The built-in list is Basalt's model
/// catalogue (<see cref="ModelCatalogue"/>), never a table of its own.
/// </summary>
internal sealed record BedrockModelDefinition(
    string Id,
    string Name,
    IReadOnlyList<string> Geographies,
    int MaxOutputTokens,
    bool OnDemand)
{
    private static readonly Lazy<IReadOnlyList<BedrockModelDefinition>> BuiltInModels = new(() => FromCatalogue(ModelCatalogue.Default));

    public string ProviderName { get; init; } = "Anthropic";

    /// <summary>The input context window in tokens; longer prompts get Bedrock's "prompt is too long" 400. Null: unchecked.</summary>
    public int? ContextWindow { get; init; }

    /// <summary>True when the model takes <c>role: "system"</c> turns inside <c>messages</c> (catalogue field rule <c>messages[].role=system</c>).</summary>
    public bool AcceptsSystemMessages { get; init; }

    /// <summary>The <c>model</c> field of Anthropic responses: <c>anthropic.claude-x-v1:0</c> becomes <c>claude-x</c>.</summary>
    public string ResponseName => ModelCatalogue.ResponseModelName(Id);

    /// <summary>
    /// The built-in list: every catalogue model that is on Bedrock and not retired, with the catalogue's profile
    /// prefixes, output limit and context window (overridable with <c>bedrock.models</c>).
    /// </summary>
    public static IReadOnlyList<BedrockModelDefinition> BuiltIn => BuiltInModels.Value;

    /// <summary>The served models of <paramref name="catalogue"/> (on Bedrock, not retired), in catalogue order.</summary>
    public static IReadOnlyList<BedrockModelDefinition> FromCatalogue(ModelCatalogue catalogue)
        => catalogue.Models.Where(m => m.IsOnBedrock && !m.Retired).Select(m => From(m, catalogue)).ToList();

    /// <summary>The emulator's view of one catalogue model. Claude models on Bedrock need a profile (no on-demand).</summary>
    public static BedrockModelDefinition From(ModelDefinition model) => From(model, ModelCatalogue.Default);

    /// <summary>The emulator's view of one model of <paramref name="catalogue"/>.</summary>
    public static BedrockModelDefinition From(ModelDefinition model, ModelCatalogue catalogue)
        => new(model.FoundationModelId!, model.DisplayName, model.ProfilePrefixes, model.MaxOutputTokens, OnDemand: false)
        {
            ContextWindow = model.ContextWindow,
            AcceptsSystemMessages = catalogue.FieldRule(model, SystemMessageField).Action == FeatureAction.Pass,
        };

    /// <summary>The catalogue field-rule name for a <c>system</c> turn inside <c>messages</c>.</summary>
    public const string SystemMessageField = "messages[].role=system";
}
