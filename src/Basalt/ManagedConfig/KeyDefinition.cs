namespace Basalt.ManagedConfig;

/// <summary>
/// One managed-configuration key as documented in cowork3p-reference §2 (and §5, §9). This row is the only
/// source of per-key facts: parsing, validation, export (ADMX/ADML, profiles), docs and the report all read it.
/// </summary>
public sealed record KeyDefinition(string Name, ConfigValueType ValueType, KeyCategory Category, string Description)
{
    /// <summary>Providers the key is relevant to; empty means every provider.</summary>
    public IReadOnlyList<InferenceProvider> Providers { get; init; } = [];

    /// <summary>Allowed values for <see cref="ConfigValueType.Enum"/> and <see cref="ConfigValueType.EnumArray"/>.</summary>
    public IReadOnlyList<string> EnumValues { get; init; } = [];

    /// <summary>Enum values that only some app versions accept (value → first release).</summary>
    public IReadOnlyDictionary<string, AppVersion> EnumValueSince { get; init; } = EmptyVersions;

    /// <summary>Deprecated enum values (value → what to use instead); they obey the same cut-off as deprecated keys.</summary>
    public IReadOnlyDictionary<string, string> DeprecatedEnumValues { get; init; } = EmptyStrings;

    /// <summary>Inclusive lower bound for integers and numbers.</summary>
    public double? Min { get; init; }

    /// <summary>Inclusive upper bound for integers and numbers.</summary>
    public double? Max { get; init; }

    /// <summary>Maximum length in characters for strings.</summary>
    public int? MaxLength { get; init; }

    public ValueFormat Format { get; init; }

    /// <summary>The value is a credential: it is redacted in every report, log and message.</summary>
    public bool IsSecret { get; init; }

    /// <summary>First release that reads the key (<see cref="AppVersion.Baseline"/> when it predates the changelog).</summary>
    public AppVersion Since { get; init; } = AppVersion.Baseline;

    public KeyAvailability Availability { get; init; } = KeyAvailability.MdmAndBootstrap;

    /// <summary>The documented default as wire text, or null when unset means "not configured".</summary>
    public string? Default { get; init; }

    /// <summary>The release that deprecated the key, when the key itself is deprecated.</summary>
    public AppVersion? DeprecatedBy { get; init; }

    /// <summary>The key to use instead of a deprecated one (null when the advice is "remove it").</summary>
    public string? Replacement { get; init; }

    /// <summary>When the app stops reading the deprecated key (§2.10: 2026-10-07 12:00 PT); null when none was announced.</summary>
    public DateTimeOffset? DeprecationCutoff { get; init; }

    /// <summary>What the app does with the deprecated key after the cut-off.</summary>
    public string? AfterCutoff { get; init; }

    /// <summary>The former name of this key, which the app read before the rename.</summary>
    public string? RenamedFrom { get; init; }

    /// <summary>The release that removed the key entirely; the app ignores it from then on.</summary>
    public AppVersion? RemovedIn { get; init; }

    /// <summary>The key comes from third-party material only (marked [UNCONFIRMED] in the spec).</summary>
    public bool Unconfirmed { get; init; }

    /// <summary>The rule checked inside this key's JSON document (validator, JsonDocumentRules); None for plain values.</summary>
    public JsonDocumentRule JsonRule { get; init; }

    /// <summary>For an OIDC object: the key choosing its sign-in flow, whose <c>broker</c> value needs an Entra issuer.</summary>
    public string? AuthFlowKey { get; init; }

    /// <summary>What the app does when this key's document is malformed; appended to the errors about it.</summary>
    public string? MalformedConsequence { get; init; }

    public bool IsDeprecated => DeprecatedBy is not null || DeprecationCutoff is not null;

    /// <summary>The value is one JSON document serialized into a string (§1.1); dotted sub-keys are never read.</summary>
    public bool IsJson => ValueType is ConfigValueType.StringArray or ConfigValueType.EnumArray or ConfigValueType.Object
        or ConfigValueType.ObjectArray or ConfigValueType.StringOrObjectArray;

    /// <summary>True when the key matters for <paramref name="provider"/> (keys for other providers are ignored, §2.1).</summary>
    public bool AppliesTo(InferenceProvider provider) => Providers.Count == 0 || Providers.Contains(provider);

    private static readonly IReadOnlyDictionary<string, AppVersion> EmptyVersions = new Dictionary<string, AppVersion>();
    private static readonly IReadOnlyDictionary<string, string> EmptyStrings = new Dictionary<string, string>();
}
