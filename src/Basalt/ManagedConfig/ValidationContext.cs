using System.Text.Json;
using Basalt.Diagnostics;

namespace Basalt.ManagedConfig;

/// <summary>
/// State shared by the validation passes: options, the effective values, and the findings so far. Value accessors
/// return null for keys that are unset, empty, or whose value failed to parse, so later passes reason only
/// about what the app can actually use.
/// </summary>
internal sealed class ValidationContext
{
    /// <summary>
    /// The Bedrock page revision boundary (seed 001 → seed 000): the newer page documents
    /// <c>inferenceBedrockAwsCliPath</c>, introduced in v1.13576.0, next to its new credential order and base-URL rules,
    /// so apps from that release on are the earliest that can behave as the newer page says
    /// (docs/decisions/0003-credential-precedence-by-app-version.md).
    /// </summary>
    public static readonly AppVersion BedrockPageRevision = AppVersion.Create(1, 13576);

    /// <summary>From v1.19367.0 HKLM policy hides HKCU entirely (§1.3.3).</summary>
    public static readonly AppVersion HklmShadowsHkcu = AppVersion.Create(1, 19367);

    /// <summary>From v1.32352.0 managed URLs embedding credentials are rejected (§2.9).</summary>
    public static readonly AppVersion UrlCredentialsRejected = AppVersion.Create(1, 32352);

    /// <summary>From v1.44121.1 the pricing keys apply only while pricing is enabled (§2.3).</summary>
    public static readonly AppVersion PricingNeedsEnabled = AppVersion.Create(1, 44121, 1);

    private readonly Dictionary<string, ConfigEntry> _effective = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonElement> _json = new(StringComparer.Ordinal);
    private readonly HashSet<string> _invalid = new(StringComparer.Ordinal);

    public ValidationContext(ManagedConfiguration configuration, ValidationOptions options)
    {
        Configuration = configuration;
        Options = options;
        Platform = options.Platform ?? configuration.Platform;
    }

    public ManagedConfiguration Configuration { get; }

    public ValidationOptions Options { get; }

    public ConfigPlatform Platform { get; }

    public AppVersion? Target => Options.TargetAppVersion;

    public List<Diagnostic> Diagnostics { get; } = [];

    public List<string> Blockers { get; } = [];

    public List<string> AppliedRules { get; } = [];

    public List<IgnoredEntry> Ignored { get; } = [];

    /// <summary>Effective entries in source order.</summary>
    public List<ConfigEntry> EffectiveOrder { get; } = [];

    public InferenceProvider? Provider { get; set; }

    /// <summary>True when the target app is at least <paramref name="version"/> (an unknown target is the newest app).</summary>
    public bool IsAtLeast(AppVersion version) => Target is null || Target.Value >= version;

    /// <summary>
    /// The §2.10 cut-off is in force: the date is past it and the app implements the schedule (v1.40609.0+; older
    /// apps never stopped reading the old names).
    /// </summary>
    public bool CutoffPassed => Options.Now >= KeyCatalogue.DeprecationCutoff && IsAtLeast(KeyCatalogue.DeprecationScheduleSince);

    public string CutoffText => CutoffPassed
        ? $"the cut-off ({KeyCatalogue.DeprecationCutoff:yyyy-MM-dd HH:mm} PT) has passed"
        : $"accepted until {KeyCatalogue.DeprecationCutoff:yyyy-MM-dd HH:mm} PT";

    public string TargetText => Target is null ? "the newest app" : $"app {Target}";

    public void SetEffective(ConfigEntry entry)
    {
        if (_effective.TryGetValue(entry.Key, out var previous))
        {
            EffectiveOrder.Remove(previous);
        }

        _effective[entry.Key] = entry;
        EffectiveOrder.Add(entry);
    }

    public void Ignore(ConfigEntry entry, string reason, string code)
    {
        if (_effective.TryGetValue(entry.Key, out var current) && ReferenceEquals(current, entry))
        {
            _effective.Remove(entry.Key);
            EffectiveOrder.Remove(entry);
        }

        Ignored.Add(new IgnoredEntry(entry, reason, code));
    }

    public void MarkInvalid(string key) => _invalid.Add(key);

    public bool IsInvalid(string key) => _invalid.Contains(key);

    public void SetJson(string key, JsonElement element) => _json[key] = element;

    /// <summary>The effective entry for <paramref name="key"/>, whatever its value.</summary>
    public ConfigEntry? Entry(string key) => _effective.GetValueOrDefault(key);

    /// <summary>The trimmed value when set, non-empty and parseable; otherwise null.</summary>
    public string? Value(string key)
    {
        if (!_effective.TryGetValue(key, out var e) || e.Value is null || _invalid.Contains(key))
        {
            return null;
        }

        var v = e.Value.Trim();
        return v.Length == 0 ? null : v;
    }

    public bool Has(string key) => Value(key) is not null;

    /// <summary>True when the key is present with any value, even an empty or unparseable one.</summary>
    public bool IsPresent(string key) => _effective.ContainsKey(key);

    public bool? Bool(string key) => Value(key) switch
    {
        "true" or "1" => true,
        "false" or "0" => false,
        _ => null,
    };

    public JsonElement? Json(string key) => Value(key) is not null && _json.TryGetValue(key, out var e) ? e : null;

    public SourceLocation? Where(string? key) => key is null ? null : _effective.GetValueOrDefault(key)?.Location;

    public void Report(DiagnosticSeverity severity, string code, string? key, string message, string? fix, SourceLocation? location = null)
        => Diagnostics.Add(new Diagnostic(severity, code, message, key, location ?? Where(key), fix));

    public void Error(string code, string? key, string message, string? fix, SourceLocation? location = null)
        => Report(DiagnosticSeverity.Error, code, key, message, fix, location);

    public void Warning(string code, string? key, string message, string? fix, SourceLocation? location = null)
        => Report(DiagnosticSeverity.Warning, code, key, message, fix, location);

    public void Info(string code, string? key, string message, string? fix, SourceLocation? location = null)
        => Report(DiagnosticSeverity.Info, code, key, message, fix, location);

    public void Block(string reason)
    {
        if (!Blockers.Contains(reason))
        {
            Blockers.Add(reason);
        }
    }
}
