using Basalt.Diagnostics;

namespace Basalt.ManagedConfig;

/// <summary>
/// Judges a managed configuration the way Claude Desktop on 3P would read it: platform precedence, the key
/// catalogue (types, enums, ranges, formats, versions, deprecations), provider completeness, credential
/// resolution and the reasons the app would stay out of third-party mode (cowork3p-reference §1, §2, §3, §5, §7,
/// §10, §11). Pure: no I/O, the same input and options always give the same result.
/// </summary>
public static class ConfigValidator
{
    public static ValidationResult Validate(ManagedConfiguration config, ValidationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        options ??= ValidationOptions.Default;
        var ctx = new ValidationContext(config, options);

        SourcePrecedence.Apply(ctx);
        var sourceEntries = ctx.EffectiveOrder.ToList();
        KeyRules.Apply(ctx);
        if (ctx.Entry("inferenceProvider")?.Value?.Trim() is { } providerText && InferenceProviderNames.TryParse(providerText, out var provider))
        {
            ctx.Provider = provider;
        }

        if (options.Now >= KeyCatalogue.DeprecationCutoff)
        {
            ctx.AppliedRules.Add(ctx.CutoffPassed
                ? $"Deprecations: {options.Now:yyyy-MM-dd} is past the {KeyCatalogue.DeprecationCutoff:yyyy-MM-dd HH:mm} PT cut-off, so deprecated names and forms are ignored or rejected (§2.10)."
                : $"Deprecations: past the cut-off date, but {ctx.TargetText} predates the v{KeyCatalogue.DeprecationScheduleSince} schedule and still reads the old names.");
        }
        else
        {
            ctx.AppliedRules.Add($"Deprecations: deprecated names and forms are still accepted until {KeyCatalogue.DeprecationCutoff:yyyy-MM-dd HH:mm} PT (§2.10).");
        }

        ValueRules.Apply(ctx);
        var credentials = ProviderRules.Apply(ctx);
        ModelRules.Apply(ctx);
        JsonDocumentRules.Apply(ctx);
        CrossKeyRules.Apply(ctx);

        var diagnostics = config.ParseDiagnostics.Concat(ctx.Diagnostics).ToList();
        return new ValidationResult(config, ctx.Platform, options.TargetAppVersion, sourceEntries, ctx.EffectiveOrder.ToList(), ctx.Ignored.ToList(),
            diagnostics, ctx.Provider, credentials, ctx.Blockers.ToList(), ctx.AppliedRules.Distinct().ToList());
    }

    /// <summary>Joins several sources (e.g. the HKLM and HKCU exports, or both macOS plists) into one configuration to validate.</summary>
    public static ManagedConfiguration Combine(IEnumerable<ManagedConfiguration> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var list = sources.ToList();
        var platform = list.Select(s => s.Platform).FirstOrDefault(p => p != ConfigPlatform.Unknown);
        return new ManagedConfiguration(platform, list.SelectMany(s => s.Entries).ToList(), list.SelectMany(s => s.ParseDiagnostics).ToList<Diagnostic>());
    }
}
