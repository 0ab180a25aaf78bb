using System.Collections.Frozen;
using System.Text.Json.Nodes;

namespace Basalt.Bedrock.Models;

/// <summary>
/// The one list of Claude models Basalt knows: ids per platform, limits, prices and the gateway's beta/field rows.
/// The data is <c>claude-models.json</c> beside this type (embedded; schema <c>claude-models.schema.json</c>),
/// taken from the model table of the newest Claude Code (models.md). Organizations add or correct entries
/// without a release through <see cref="WithOverrides(JsonNode, string)"/> (the deployment file's
/// <c>modelCatalogue:</c> section, or a file of their own); nothing else in Basalt names a model.
/// </summary>
public sealed class ModelCatalogue
{
    /// <summary>The logical name of the shipped catalogue inside the Basalt assembly.</summary>
    internal const string ResourceName = "Basalt.Bedrock.Models.claude-models.json";

    /// <summary>The logical name of the catalogue's JSON schema inside the Basalt assembly.</summary>
    internal const string SchemaResourceName = "Basalt.Bedrock.Models.claude-models.schema.json";

    private static readonly Lazy<ModelCatalogue> DefaultCatalogue = new(() => Parse(ReadResource(ResourceName), "claude-models.json (built in)"));

    private readonly JsonObject _document;
    private readonly FrozenDictionary<string, ModelDefinition> _byId;
    private readonly IReadOnlyList<FeatureRule> _betaRules;
    private readonly IReadOnlyList<FeatureRule> _fieldRules;

    private ModelCatalogue(JsonObject document, string sourceName)
    {
        _document = document;
        SourceName = sourceName;
        var (models, betaRules, fieldRules, claudeCodeDefault) = ModelCatalogueReader.Read(document, sourceName);
        Models = models;
        _betaRules = betaRules;
        _fieldRules = fieldRules;
        ClaudeCodeDefault = claudeCodeDefault is null ? null : models.First(m => m.ClientId == claudeCodeDefault);
        var byId = new Dictionary<string, ModelDefinition>(StringComparer.OrdinalIgnoreCase);
        foreach (var model in models)
        {
            foreach (var id in ModelCatalogueReader.Ids(model))
            {
                byId.TryAdd(id, model);
            }
        }

        _byId = byId.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        Families = models.Select(m => m.Family).Distinct(StringComparer.Ordinal).ToArray();
        Account = ModelCatalogueReader.ReadAccount(document, sourceName);
        DefaultFamilies = document["defaultFamilies"] is JsonArray defaults
            ? defaults.Select(f => f?.GetValue<string>()).OfType<string>().Where(Families.Contains).ToArray()
            : Families.Take(1).ToArray();
        ClaudeCodeModelVariables = document["claudeCodeModelVariables"] is JsonObject variables
            ? variables.Where(v => v.Value is JsonValue).ToDictionary(v => v.Key, v => v.Value!.GetValue<string>(), StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
    }

    /// <summary>The catalogue shipped with Basalt.</summary>
    public static ModelCatalogue Default => DefaultCatalogue.Value;

    /// <summary>What the catalogue was read from (for messages).</summary>
    public string SourceName { get; }

    public IReadOnlyList<ModelDefinition> Models { get; }

    /// <summary>The families (tiers) in catalogue order: the aliases a deployment file or the wizard may use.</summary>
    public IReadOnlyList<string> Families { get; }

    /// <summary>The model Claude Code starts with when none is configured (models.md).</summary>
    public ModelDefinition? ClaudeCodeDefault { get; }

    /// <summary>The families <c>basalt deploy init</c> proposes, default model first.</summary>
    public IReadOnlyList<string> DefaultFamilies { get; }

    /// <summary>What the organization's AWS account can call, when a <c>basalt models sync</c> file was applied; else null.</summary>
    public AccountModelAccess? Account { get; }

    /// <summary>Family → the Claude Code setting that picks that family's model (<c>ANTHROPIC_DEFAULT_OPUS_MODEL</c>…).</summary>
    public IReadOnlyDictionary<string, string> ClaudeCodeModelVariables { get; }

    /// <summary>The catalogue-wide beta rows (per-model rows win).</summary>
    public IReadOnlyList<FeatureRule> BetaRules => _betaRules;

    /// <summary>The catalogue-wide body-field rows (per-model rows win).</summary>
    public IReadOnlyList<FeatureRule> FieldRules => _fieldRules;

    /// <summary>Reads a catalogue document (JSON of <c>claude-models.schema.json</c>'s shape).</summary>
    public static ModelCatalogue Parse(string json, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(json);
        return new ModelCatalogue(ModelCatalogueReader.ParseDocument(json, sourceName), sourceName);
    }

    /// <summary>Reads a catalogue file.</summary>
    public static ModelCatalogue Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Reads a catalogue from a UTF-8 stream.</summary>
    public static ModelCatalogue Load(Stream utf8Json, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        using var reader = new StreamReader(utf8Json);
        return Parse(reader.ReadToEnd(), sourceName);
    }

    /// <summary>
    /// A new catalogue with <paramref name="overrides"/> applied: an object with optional <c>models</c>,
    /// <c>betaRules</c> and <c>fieldRules</c> arrays. A model entry whose <c>clientId</c> exists replaces only the
    /// keys it names (e.g. corrected prices); a new <c>clientId</c> adds a model and must then be complete. Rule
    /// rows replace the row of the same name or are added. The result is checked like the shipped file.
    /// </summary>
    public ModelCatalogue WithOverrides(JsonNode overrides, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        if (overrides is not JsonObject patch)
        {
            throw new InvalidDataException($"{sourceName}: model overrides must be an object with 'models', 'betaRules' or 'fieldRules'");
        }

        var merged = (JsonObject)_document.DeepClone();
        foreach (var (key, value) in patch)
        {
            switch (key)
            {
                case "models":
                    MergeModels(merged, value, sourceName);
                    break;
                case "betaRules" or "fieldRules":
                    merged[key] = MergeRules(merged[key] as JsonArray, value, sourceName, key);
                    break;
                case "$schema" or "formatVersion" or "asOf" or "source":
                    break;
                case "claudeCodeDefault" or "account" or "defaultFamilies" or "claudeCodeModelVariables":
                    merged[key] = value?.DeepClone();
                    break;
                default:
                    throw new InvalidDataException($"{sourceName}: '{key}' is not an override key; expected models, betaRules, fieldRules, claudeCodeDefault or account");
            }
        }

        return new ModelCatalogue(merged, $"{SourceName} + {sourceName}");
    }

    /// <summary>
    /// The model an id names: client id (<c>claude-sonnet-5</c>), foundation id, a system-profile id with any
    /// published prefix, a Mantle id, a dated API id, an ARN of a foundation model or system profile, or the
    /// URL-encoded form of any of them. Null for ids the catalogue does not know.
    /// </summary>
    public ModelDefinition? Find(string id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return null;
        }

        id = id.Trim();
        if (id.Contains('%', StringComparison.Ordinal))
        {
            id = Uri.UnescapeDataString(id);
        }

        if (_byId.TryGetValue(id, out var model))
        {
            return model;
        }

        // A profile with a prefix this model is not listed under, or an ARN: find the model by its foundation id
        // so callers can say "not offered through that profile" instead of "unknown model".
        return BedrockModelId.TryParse(id, out var parsed) && parsed.FoundationModelId is { } foundation && _byId.TryGetValue(foundation, out model)
            ? model
            : null;
    }

    /// <summary>All models of <paramref name="family"/>, newest first.</summary>
    public IEnumerable<ModelDefinition> InFamily(string family)
        => Models.Where(m => string.Equals(m.Family, family, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(m => m.VersionNumber);

    /// <summary>
    /// The newest model of <paramref name="family"/> that is not retired and, when a region is given, is offered
    /// there (through <paramref name="profilePrefix"/> when given, else in any way). Null when none qualifies.
    /// </summary>
    public ModelDefinition? NewestInFamily(string family, string? region = null, string? profilePrefix = null)
        => InFamily(family).FirstOrDefault(m => !m.Retired
            && (region is null
                ? profilePrefix is null || m.ProfilePrefixes.Contains(profilePrefix)
                : profilePrefix is null ? m.IsOfferedIn(region) : m.IsOfferedThrough(profilePrefix, region)));

    /// <summary>The rule for beta <paramref name="beta"/> on <paramref name="model"/>: its own row, its <c>*</c> row, the catalogue row, the catalogue <c>*</c> row.</summary>
    public FeatureRule BetaRule(ModelDefinition model, string beta) => Rule(model.BetaRules, _betaRules, beta);

    /// <summary>The rule for body field <paramref name="field"/> (e.g. <c>tools[].strict</c>) on <paramref name="model"/>.</summary>
    public FeatureRule FieldRule(ModelDefinition model, string field) => Rule(model.FieldRules, _fieldRules, field);

    /// <summary>
    /// The Anthropic-API style name of a Bedrock foundation id, which is also the <c>model</c> field of Bedrock's
    /// answers (<c>anthropic.claude-x-20250929-v1:0</c> → <c>claude-x-20250929</c>).
    /// </summary>
    public static string ResponseModelName(string foundationModelId)
    {
        ArgumentNullException.ThrowIfNull(foundationModelId);
        return ModelCatalogueReader.ApiId(foundationModelId);
    }

    /// <summary>An override document holding only <paramref name="access"/> (the file <c>basalt models sync</c> writes).</summary>
    public static string AccountOverrideJson(AccountModelAccess access)
    {
        ArgumentNullException.ThrowIfNull(access);
        var document = new JsonObject { ["account"] = ModelCatalogueReader.WriteAccount(access) };
        return document.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>The catalogue as JSON (after overrides), e.g. for <c>basalt models list --json</c>.</summary>
    public string ToJson() => _document.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary>The JSON object of one model (after overrides).</summary>
    public string ModelJson(ModelDefinition model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var entry = (_document["models"] as JsonArray)!.OfType<JsonObject>().First(m => (string?)m["clientId"] == model.ClientId);
        return entry.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    internal static string ReadResource(string name)
    {
        using var stream = typeof(ModelCatalogue).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Basalt was built without its resource '{name}'");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static FeatureRule Rule(IReadOnlyList<FeatureRule> own, IReadOnlyList<FeatureRule> shared, string name)
        => own.FirstOrDefault(r => r.Name == name)
           ?? own.FirstOrDefault(r => r.Name == FeatureRule.Wildcard)
           ?? shared.FirstOrDefault(r => r.Name == name)
           ?? shared.FirstOrDefault(r => r.Name == FeatureRule.Wildcard)
           ?? new FeatureRule(name, FeatureAction.Pass, null, "bedrock-and-clients.md §5: unknown betas and fields pass as open lists");

    private static void MergeModels(JsonObject merged, JsonNode? value, string sourceName)
    {
        var entries = value as JsonArray ?? throw new InvalidDataException($"{sourceName}: models: expected an array of model entries");
        var models = (JsonArray)merged["models"]!;
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i] as JsonObject ?? throw new InvalidDataException($"{sourceName}: models[{i}]: expected an object with at least clientId");
            var clientId = entry["clientId"] is JsonValue v && v.TryGetValue(out string? id) && id.Length > 0
                ? id
                : throw new InvalidDataException($"{sourceName}: models[{i}].clientId: missing; every override names the model it changes or adds (e.g. clientId: claude-…)");
            var existing = models.OfType<JsonObject>().FirstOrDefault(m => (string?)m["clientId"] == clientId);
            if (existing is null)
            {
                models.Add(entry.DeepClone());
                continue;
            }

            foreach (var (key, node) in entry)
            {
                existing[key] = node?.DeepClone();
            }
        }
    }

    private static JsonArray MergeRules(JsonArray? current, JsonNode? value, string sourceName, string key)
    {
        var rows = value as JsonArray ?? throw new InvalidDataException($"{sourceName}: {key}: expected an array of rules {{name, action, mapTo, source}}");
        var result = (JsonArray?)current?.DeepClone() ?? [];
        foreach (var row in rows)
        {
            var name = row is JsonObject o && o["name"] is JsonValue n && n.TryGetValue(out string? text) ? text : null;
            var index = name is null ? -1 : result.Select((r, i) => (r, i)).Where(x => (string?)x.r?["name"] == name).Select(x => x.i).DefaultIfEmpty(-1).First();
            if (index >= 0)
            {
                result[index] = row!.DeepClone();
            }
            else
            {
                result.Add(row?.DeepClone());
            }
        }

        return result;
    }
}
