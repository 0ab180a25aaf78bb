namespace Basalt.ManagedConfig.Formats;

/// <summary>
/// Settings for <see cref="ManagedConfigWriter"/>. Every output is a pure function of the values and these
/// options: the same input gives the same bytes (no clocks, no random UUIDs).
/// </summary>
public sealed record ExportOptions
{
    /// <summary>The shared default: HKLM, no stale-value removal, Basalt's profile identity.</summary>
    public static ExportOptions Default { get; } = new();

    /// <summary>Target hive for <c>.reg</c> and PowerShell output.</summary>
    public RegistryHive RegistryHive { get; init; } = RegistryHive.LocalMachine;

    /// <summary>
    /// Also remove catalogue keys that are not in the exported set (<c>"key"=-</c> in <c>.reg</c>,
    /// <c>Remove-ItemProperty</c> in PowerShell), so a re-deployment cannot leave a stale value behind.
    /// </summary>
    public bool RemoveStaleValues { get; init; }

    /// <summary>Reverse-DNS identifier of the configuration profile; the inner payload gets this plus the domain.</summary>
    public string PayloadIdentifier { get; init; } = "com.anthropic.claudefordesktop.basalt";

    /// <summary>Shown in System Settings → Profiles as the profile's organization.</summary>
    public string? Organization { get; init; }

    /// <summary>Profile name shown to users and admins.</summary>
    public string DisplayName { get; init; } = "Claude Desktop (third-party inference)";

    public string? Description { get; init; }

    /// <summary>
    /// Stable identity of the deployment from which the profile UUIDs are derived (UUIDv5), so re-exporting the
    /// same deployment replaces the installed profile instead of adding a second one. Defaults to
    /// <see cref="PayloadIdentifier"/>.
    /// </summary>
    public string? IdentitySeed { get; init; }

    /// <summary>The key catalogue to use (JSON-typed keys, stale keys, ADMX policies); defaults to <see cref="KeyCatalogue.All"/>.</summary>
    public IReadOnlyList<KeyDefinition>? Catalogue { get; init; }

    internal IReadOnlyList<KeyDefinition> EffectiveCatalogue => Catalogue ?? KeyCatalogue.All;

    internal string EffectiveSeed => string.IsNullOrEmpty(IdentitySeed) ? PayloadIdentifier : IdentitySeed;
}
