using Basalt.Diagnostics;

namespace Basalt.ManagedConfig;

/// <summary>
/// What the app would make of a managed configuration: the values it reads after platform precedence, every
/// problem found, the provider, the credential it would use and whether it enters third-party mode.
/// </summary>
public sealed class ValidationResult
{
    internal ValidationResult(
        ManagedConfiguration configuration,
        ConfigPlatform platform,
        AppVersion? targetAppVersion,
        IReadOnlyList<ConfigEntry> sourceEntries,
        IReadOnlyList<ConfigEntry> effective,
        IReadOnlyList<IgnoredEntry> ignored,
        IReadOnlyList<Diagnostic> diagnostics,
        InferenceProvider? provider,
        CredentialResolution? credentials,
        IReadOnlyList<string> notThirdPartyReasons,
        IReadOnlyList<string> appliedRules)
    {
        Configuration = configuration;
        Platform = platform;
        TargetAppVersion = targetAppVersion;
        SourceEntries = sourceEntries;
        EffectiveEntries = effective;
        IgnoredEntries = ignored;
        Diagnostics = diagnostics;
        Provider = provider;
        Credentials = credentials;
        NotThirdPartyReasons = notThirdPartyReasons;
        AppliedRules = appliedRules;
    }

    public ManagedConfiguration Configuration { get; }

    public ConfigPlatform Platform { get; }

    public AppVersion? TargetAppVersion { get; }

    /// <summary>
    /// The values the app takes from its sources, one per key, in source order, after source precedence (readable
    /// wire types, managed over local, HKLM over HKCU, per-user plist over machine) and before any key is judged:
    /// unknown and invalid keys are still here. What a faithful format conversion carries over.
    /// </summary>
    public IReadOnlyList<ConfigEntry> SourceEntries { get; }

    /// <summary>The values the app reads, one per key, in source order.</summary>
    public IReadOnlyList<ConfigEntry> EffectiveEntries { get; }

    /// <summary>Values present in a source that the app does not use (shadowed hive, local store, too new, past cut-off…).</summary>
    public IReadOnlyList<IgnoredEntry> IgnoredEntries { get; }

    /// <summary>Parse diagnostics of the sources followed by the validator's own, in a stable order.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>The recognized <c>inferenceProvider</c>, or null when it is missing or not a provider.</summary>
    public InferenceProvider? Provider { get; }

    /// <summary>The credential resolution for <see cref="Provider"/>; null when there is no provider.</summary>
    public CredentialResolution? Credentials { get; }

    public bool EntersThirdPartyMode => NotThirdPartyReasons.Count == 0;

    /// <summary>Every reason the app would start in standard (claude.ai sign-in) mode instead (§10.2).</summary>
    public IReadOnlyList<string> NotThirdPartyReasons { get; }

    /// <summary>The version-dependent behaviours the validator applied, in words (precedence order, base-URL rule, hive rule, cut-off).</summary>
    public IReadOnlyList<string> AppliedRules { get; }

    public bool HasErrors => Diagnostics.Any(d => d.IsError);

    public ConfigEntry? Effective(string key) => EffectiveEntries.FirstOrDefault(e => e.Key == key);
}
