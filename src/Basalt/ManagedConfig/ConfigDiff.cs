namespace Basalt.ManagedConfig;

/// <summary>
/// Compares what the app would read from two configurations, whatever their formats: effective values compared
/// by meaning (<see cref="ValueNormalizer"/>), plus the outcomes (provider, credential, third-party mode) under the
/// pseudo-keys <c>(provider)</c>, <c>(credential)</c> and <c>(thirdPartyMode)</c>.
/// </summary>
public static class ConfigDiff
{
    public static IReadOnlyList<ConfigDifference> Compare(ValidationResult before, ValidationResult after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        var a = before.EffectiveEntries.Where(e => e.Value is not null).ToDictionary(e => e.Key, e => e.Value!, StringComparer.Ordinal);
        var b = after.EffectiveEntries.Where(e => e.Value is not null).ToDictionary(e => e.Key, e => e.Value!, StringComparer.Ordinal);
        var result = new List<ConfigDifference>();
        foreach (var key in a.Keys.Union(b.Keys).OrderBy(k => k, StringComparer.Ordinal))
        {
            var inA = a.TryGetValue(key, out var va);
            var inB = b.TryGetValue(key, out var vb);
            if (inA && !inB)
            {
                result.Add(new ConfigDifference(key, ConfigDifferenceKind.Removed, SecretRedactor.Redact(key, va), null));
            }
            else if (!inA && inB)
            {
                result.Add(new ConfigDifference(key, ConfigDifferenceKind.Added, null, SecretRedactor.Redact(key, vb)));
            }
            else if (ValueNormalizer.Normalize(key, va!) != ValueNormalizer.Normalize(key, vb!))
            {
                result.Add(SecretRedactor.IsSecretKey(key)
                    ? new ConfigDifference(key, ConfigDifferenceKind.Changed, "(secret)", "(different secret)")
                    : new ConfigDifference(key, ConfigDifferenceKind.Changed, SecretRedactor.Redact(key, va), SecretRedactor.Redact(key, vb)));
            }
        }

        Outcome(result, "(provider)", before.Provider?.ToWire(), after.Provider?.ToWire());
        Outcome(result, "(credential)", before.Credentials?.Winner?.Id, after.Credentials?.Winner?.Id);
        Outcome(result, "(thirdPartyMode)", before.EntersThirdPartyMode ? "enters" : "stays out", after.EntersThirdPartyMode ? "enters" : "stays out");
        return result;
    }

    private static void Outcome(List<ConfigDifference> result, string name, string? before, string? after)
    {
        if (!string.Equals(before, after, StringComparison.Ordinal))
        {
            result.Add(new ConfigDifference(name, ConfigDifferenceKind.Changed, before ?? "(none)", after ?? "(none)"));
        }
    }
}
