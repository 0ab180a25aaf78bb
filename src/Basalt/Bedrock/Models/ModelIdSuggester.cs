using Basalt.Diagnostics.Reading;
using System.Text.RegularExpressions;

namespace Basalt.Bedrock.Models;

/// <summary>
/// "Did you mean" for model ids: compares the model part of an id (no profile prefix, vendor, date or
/// <c>-v1:0</c> version) with every catalogue model, so a wrong suffix, an old date or a small typo still finds
/// the intended model, and a retired model points at the newest of its family.
/// </summary>
public static partial class ModelIdSuggester
{
    /// <summary>The catalogue model <paramref name="id"/> most likely means, or null.</summary>
    public static ModelDefinition? Suggest(ModelCatalogue catalogue, string id)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        ArgumentNullException.ThrowIfNull(id);
        var stem = Stem(id);
        ModelDefinition? best = null;
        var bestDistance = int.MaxValue;
        foreach (var model in catalogue.Models)
        {
            foreach (var candidate in Candidates(model))
            {
                var distance = EditDistance.Between(stem, candidate);
                if (distance < bestDistance)
                {
                    bestDistance = distance;
                    best = model;
                }
            }
        }

        return bestDistance <= Math.Max(1, Math.Min(3, stem.Length / 4)) ? best : null;
    }

    /// <summary>
    /// The id to write instead of <paramref name="model"/>'s, keeping the caller's profile prefix: the model itself
    /// when current, else the newest of its family offered in <paramref name="region"/> (through the same prefix).
    /// </summary>
    public static ModelDefinition? Replacement(ModelCatalogue catalogue, ModelDefinition model, string? region, string? profilePrefix)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        ArgumentNullException.ThrowIfNull(model);
        return catalogue.NewestInFamily(model.Family, region, profilePrefix) ?? catalogue.NewestInFamily(model.Family, region);
    }

    /// <summary>The same kind of id for <paramref name="model"/> as <paramref name="like"/> (bare foundation id or a profile with its prefix).</summary>
    public static string? IdLike(ModelDefinition model, string like)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(like);
        if (model.FoundationModelId is null)
        {
            return model.ClientId;
        }

        return BedrockModelId.TryParse(like, out var parsed) && parsed.GeoPrefix is { } prefix ? model.ProfileId(prefix) : model.FoundationModelId;
    }

    private static IEnumerable<string> Candidates(ModelDefinition model)
    {
        yield return Stem(model.ClientId);
        if (model.FoundationModelId is not null)
        {
            yield return Stem(model.FoundationModelId);
        }
    }

    private static string Stem(string id)
    {
        var text = id.Trim().ToLowerInvariant();
        if (BedrockModelId.TryParse(text, out var parsed) && parsed.FoundationModelId is { } foundation)
        {
            text = foundation;
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot >= 0 && text.StartsWith("anthropic.", StringComparison.Ordinal))
        {
            text = text[(dot + 1)..];
        }

        return VersionSuffix().Replace(text, string.Empty);
    }

    // A date (-20250929) and/or a Bedrock version (-v1, -v2:0) at the end of a model id.
    [GeneratedRegex(@"(-\d{8})?(-v\d+(:\d+)?)?$")]
    private static partial Regex VersionSuffix();
}
