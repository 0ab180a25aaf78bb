namespace Basalt.ManagedConfig;

/// <summary>
/// Suggests the catalogue key nearest to a misspelled one by optimal-string-alignment (Damerau–Levenshtein)
/// distance, so <c>inferenceBedrockRegoin</c> suggests <c>inferenceBedrockRegion</c> (a transposition costs 1).
/// </summary>
public static class KeySuggester
{
    /// <summary>The nearest known key within a distance that scales with the length, or null.</summary>
    public static string? Suggest(string unknown, IEnumerable<string>? candidates = null)
    {
        candidates ??= KeyCatalogue.All.Select(k => k.Name);
        var limit = Math.Max(2, unknown.Length / 4);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            if (Math.Abs(candidate.Length - unknown.Length) > limit)
            {
                continue;
            }

            // Case differences count as half an edit: InferenceProvider is nearer inferenceProvider than anything else.
            var d = Distance(unknown.ToUpperInvariant(), candidate.ToUpperInvariant()) * 2
                + (string.Equals(unknown, candidate, StringComparison.OrdinalIgnoreCase) ? 1 : 0);
            if (d < bestDistance)
            {
                bestDistance = d;
                best = candidate;
            }
        }

        return best is not null && bestDistance <= limit * 2 ? best : null;
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions.</summary>
    public static int Distance(string a, string b) => Basalt.Diagnostics.Reading.EditDistance.Between(a, b);
}
