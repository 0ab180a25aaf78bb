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
    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var v = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    v = Math.Min(v, d[i - 2, j - 2] + 1);
                }

                d[i, j] = v;
            }
        }

        return d[a.Length, b.Length];
    }
}
