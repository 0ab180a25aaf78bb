namespace Basalt.Bedrock.Models;

/// <summary>
/// One Claude model as the catalogue (<c>claude-models.json</c>) describes it. Built only by
/// <see cref="ModelCatalogue"/>; every value comes from the data file or an organization's overrides.
/// </summary>
public sealed record ModelDefinition
{
    /// <summary>The id Claude clients use (<c>claude-sonnet-5</c>); unique in a catalogue.</summary>
    public required string ClientId { get; init; }

    /// <summary>The tier (<c>haiku</c>, <c>sonnet</c>, <c>opus</c>…), as the client's model table names it.</summary>
    public required string Family { get; init; }

    /// <summary>The model version within its family (<c>4.5</c>, <c>5</c>); orders a family newest-first.</summary>
    public required string Version { get; init; }

    public required string DisplayName { get; init; }

    /// <summary>The Bedrock foundation-model id (<c>anthropic.claude-…</c>); null when the model is not on Bedrock.</summary>
    public string? FoundationModelId { get; init; }

    /// <summary>System inference-profile prefixes AWS offers the model through (<c>us</c>, <c>eu</c>, <c>global</c>…).</summary>
    public IReadOnlyList<string> ProfilePrefixes { get; init; } = [];

    /// <summary>Regions where the foundation model is known to be served in-region (may be empty: then only profiles count).</summary>
    public IReadOnlyList<string> Regions { get; init; } = [];

    /// <summary>Where the availability (<see cref="ProfilePrefixes"/>, <see cref="Regions"/>) comes from.</summary>
    public string? AvailabilitySource { get; init; }

    /// <summary>The id on Bedrock's Mantle (Anthropic-format) endpoint, when the model has one.</summary>
    public string? MantleId { get; init; }

    /// <summary>Further ids that name this model (e.g. a dated Anthropic API id).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>Input context window in tokens; null when the client does not state it.</summary>
    public int? ContextWindow { get; init; }

    public bool Supports1MContext { get; init; }

    /// <summary>The <c>max_tokens</c> the client sends by default.</summary>
    public required int DefaultMaxOutputTokens { get; init; }

    /// <summary>The largest <c>max_tokens</c> the model accepts; Bedrock rejects more with a ValidationException.</summary>
    public required int MaxOutputTokens { get; init; }

    /// <summary>Year and month (<c>2026-01</c>) of the training-data cutoff, when known.</summary>
    public string? KnowledgeCutoff { get; init; }

    public DateOnly? ReleaseDate { get; init; }

    /// <summary>The client id the client falls back to when this model is refused ("3P fallback").</summary>
    public string? Fallback { get; init; }

    public bool Retired { get; init; }

    public string? RetiredSource { get; init; }

    /// <summary>The client's price code (<c>tier_5_25</c>), kept so prices can be checked against it.</summary>
    public string? PriceCode { get; init; }

    public ModelPrices Prices { get; init; } = ModelPrices.Unknown;

    /// <summary>Per-model beta rows; they win over the catalogue-wide rows (see <see cref="ModelCatalogue.BetaRule"/>).</summary>
    public IReadOnlyList<FeatureRule> BetaRules { get; init; } = [];

    /// <summary>Per-model body-field rows; they win over the catalogue-wide rows.</summary>
    public IReadOnlyList<FeatureRule> FieldRules { get; init; } = [];

    /// <summary>True when the model can be called on Bedrock at all.</summary>
    public bool IsOnBedrock => FoundationModelId is not null;

    /// <summary>AWS partitions the model is offered in, from its profiles and regions.</summary>
    public IReadOnlyList<string> Partitions
    {
        get
        {
            var partitions = new List<string>(2);
            if (ProfilePrefixes.Any(p => p != "us-gov") || Regions.Any(r => !r.StartsWith("us-gov-", StringComparison.Ordinal)))
            {
                partitions.Add("aws");
            }

            if (ProfilePrefixes.Contains("us-gov") || Regions.Any(r => r.StartsWith("us-gov-", StringComparison.Ordinal)))
            {
                partitions.Add("aws-us-gov");
            }

            return partitions;
        }
    }

    /// <summary>The system inference-profile id for <paramref name="prefix"/> (<c>us.anthropic.claude-…</c>).</summary>
    public string? ProfileId(string prefix) => FoundationModelId is null ? null : $"{prefix}.{FoundationModelId}";

    /// <summary>Every Bedrock id that calls this model: the foundation id and one profile id per offered prefix.</summary>
    public IEnumerable<string> BedrockIds()
    {
        if (FoundationModelId is null)
        {
            yield break;
        }

        yield return FoundationModelId;
        foreach (var prefix in ProfilePrefixes)
        {
            yield return $"{prefix}.{FoundationModelId}";
        }
    }

    /// <summary>True when a caller in <paramref name="region"/> can reach the model through <paramref name="profilePrefix"/>.</summary>
    public bool IsOfferedThrough(string profilePrefix, string region)
        => IsOnBedrock && ProfilePrefixes.Contains(profilePrefix)
           && BedrockModelId.TryParse($"{profilePrefix}.{FoundationModelId}", out var id) && id.IsUsableFrom(region);

    /// <summary>True when a caller in <paramref name="region"/> can reach the model in some way (in-region or a usable profile).</summary>
    public bool IsOfferedIn(string region)
        => IsOnBedrock && (Regions.Contains(region) || ProfilePrefixes.Any(p => IsOfferedThrough(p, region)));

    /// <summary>The version as a comparable number (<c>4.5</c> → 4.5, <c>5</c> → 5.0).</summary>
    internal Version VersionNumber => System.Version.Parse(Version.Contains('.', StringComparison.Ordinal) ? Version : Version + ".0");
}
