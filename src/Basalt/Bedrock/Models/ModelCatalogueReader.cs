using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Basalt.Bedrock.Models;

/// <summary>
/// Reads a catalogue document (the shape of <c>claude-models.schema.json</c>) into definitions. Every problem is
/// an <see cref="InvalidDataException"/> naming the source, the JSON path, what was expected and how to fix it,
/// because org overrides are hand-written and a wrong entry must not silently drop a model.
/// </summary>
internal static class ModelCatalogueReader
{
    private static readonly System.Buffers.SearchValues<char> VersionChars = System.Buffers.SearchValues.Create("0123456789:");

    private static readonly string[] ModelKeys =
    [
        "clientId", "family", "version", "displayName", "foundationModelId", "profilePrefixes", "regions", "availabilitySource",
        "mantleId", "aliases", "contextWindow", "supports1MContext", "defaultMaxOutputTokens", "maxOutputTokens",
        "knowledgeCutoff", "releaseDate", "fallback", "retired", "retiredSource", "prices", "betaRules", "fieldRules",
    ];

    private static readonly string[] PriceKeys =
        ["code", "inputPerMTok", "outputPerMTok", "cacheReadPerMTok", "cacheWrite5mPerMTok", "cacheWrite1hPerMTok", "source"];

    internal static JsonObject ParseDocument(string json, string sourceName)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{sourceName}: not valid JSON (line {ex.LineNumber + 1}): {ex.Message}", ex);
        }

        return node as JsonObject ?? throw new InvalidDataException($"{sourceName}: expected a JSON object with 'models', 'betaRules' and 'fieldRules'");
    }

    /// <summary>The <c>account</c> object of a sync file, or null.</summary>
    internal static AccountModelAccess? ReadAccount(JsonObject document, string sourceName)
    {
        if (document["account"] is not { } node)
        {
            return null;
        }

        const string path = "account";
        var account = node as JsonObject ?? throw new InvalidDataException($"{sourceName}: account: expected an object with accountId, region, foundationModelIds, inferenceProfileIds");
        var synced = OptionalString(account, "syncedAt", sourceName, path);
        DateTimeOffset? syncedAt = null;
        if (synced is not null)
        {
            syncedAt = DateTimeOffset.TryParse(synced, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? at
                : throw new InvalidDataException($"{sourceName}: account.syncedAt: '{synced}' is not an ISO-8601 time");
        }

        return new AccountModelAccess(
            OptionalString(account, "accountId", sourceName, path),
            OptionalString(account, "region", sourceName, path),
            syncedAt,
            StringList(account, "foundationModelIds", sourceName, path).ToHashSet(StringComparer.Ordinal),
            StringList(account, "inferenceProfileIds", sourceName, path).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>The JSON object of <paramref name="access"/> (what <c>basalt models sync</c> writes under <c>account</c>).</summary>
    internal static JsonObject WriteAccount(AccountModelAccess access)
        => new()
        {
            ["accountId"] = access.AccountId,
            ["region"] = access.Region,
            ["syncedAt"] = access.SyncedAt?.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            ["foundationModelIds"] = new JsonArray(access.FoundationModelIds.Order(StringComparer.Ordinal).Select(id => (JsonNode?)JsonValue.Create(id)).ToArray()),
            ["inferenceProfileIds"] = new JsonArray(access.InferenceProfileIds.Order(StringComparer.Ordinal).Select(id => (JsonNode?)JsonValue.Create(id)).ToArray()),
        };

    internal static (IReadOnlyList<ModelDefinition> Models, IReadOnlyList<FeatureRule> BetaRules, IReadOnlyList<FeatureRule> FieldRules, string? ClaudeCodeDefault)
        Read(JsonObject document, string sourceName)
    {
        var models = new List<ModelDefinition>();
        if (document["models"] is not JsonArray array || array.Count == 0)
        {
            throw new InvalidDataException($"{sourceName}: 'models' must be a non-empty array of model entries");
        }

        for (var i = 0; i < array.Count; i++)
        {
            var path = $"models[{i}]";
            var entry = array[i] as JsonObject ?? throw new InvalidDataException($"{sourceName}: {path}: expected an object with clientId, family, version…");
            models.Add(ReadModel(entry, sourceName, path));
        }

        var betaRules = ReadRules(document["betaRules"], sourceName, "betaRules");
        var fieldRules = ReadRules(document["fieldRules"], sourceName, "fieldRules");
        var claudeCodeDefault = OptionalString(document, "claudeCodeDefault", sourceName, "claudeCodeDefault");
        Check(models, claudeCodeDefault, sourceName);
        return (models, betaRules, fieldRules, claudeCodeDefault);
    }

    private static void Check(List<ModelDefinition> models, string? claudeCodeDefault, string sourceName)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var model in models)
        {
            foreach (var id in Ids(model))
            {
                if (!ids.TryAdd(id, model.ClientId) && ids[id] != model.ClientId)
                {
                    throw new InvalidDataException($"{sourceName}: model '{model.ClientId}': id '{id}' already names '{ids[id]}'; every id must name one model");
                }
            }
        }

        foreach (var model in models)
        {
            if (model.Fallback is not null && !models.Any(m => m.ClientId == model.Fallback))
            {
                throw new InvalidDataException($"{sourceName}: model '{model.ClientId}'.fallback: '{model.Fallback}' is not a clientId in the catalogue; name an existing model or null");
            }

            if (model.DefaultMaxOutputTokens > model.MaxOutputTokens)
            {
                throw new InvalidDataException($"{sourceName}: model '{model.ClientId}': defaultMaxOutputTokens {model.DefaultMaxOutputTokens} exceeds maxOutputTokens {model.MaxOutputTokens}");
            }
        }

        if (claudeCodeDefault is not null && !models.Any(m => m.ClientId == claudeCodeDefault))
        {
            throw new InvalidDataException($"{sourceName}: claudeCodeDefault: '{claudeCodeDefault}' is not a clientId in the catalogue");
        }
    }

    /// <summary>Every id that names <paramref name="model"/> in <see cref="ModelCatalogue.Find"/>.</summary>
    internal static IEnumerable<string> Ids(ModelDefinition model)
    {
        yield return model.ClientId;
        foreach (var id in model.BedrockIds())
        {
            yield return id;
        }

        if (model.FoundationModelId is not null && ApiId(model.FoundationModelId) is var apiId && apiId != model.ClientId)
        {
            yield return apiId;
        }

        if (model.MantleId is not null && model.MantleId != model.FoundationModelId)
        {
            yield return model.MantleId;
        }

        foreach (var alias in model.Aliases)
        {
            yield return alias;
        }
    }

    /// <summary>
    /// The Anthropic-API style name inside a foundation id (<c>anthropic.claude-x-20250929-v1:0</c> →
    /// <c>claude-x-20250929</c>), which is also the <c>model</c> field of Bedrock's responses.
    /// </summary>
    internal static string ApiId(string foundationModelId)
    {
        const string Vendor = "anthropic.";
        var name = foundationModelId.StartsWith(Vendor, StringComparison.Ordinal) ? foundationModelId[Vendor.Length..] : foundationModelId;
        var version = name.LastIndexOf("-v", StringComparison.Ordinal);
        if (version > 0 && name.AsSpan(version + 2).IndexOfAnyExcept(VersionChars) < 0 && version + 2 < name.Length)
        {
            name = name[..version];
        }

        return name;
    }

    private static ModelDefinition ReadModel(JsonObject entry, string sourceName, string path)
    {
        foreach (var (key, _) in entry)
        {
            if (!ModelKeys.Contains(key))
            {
                throw new InvalidDataException($"{sourceName}: {path}.{key}: unknown key; expected one of {string.Join(", ", ModelKeys)}");
            }
        }

        var clientId = RequiredString(entry, "clientId", sourceName, path);
        path = $"{path} ({clientId})";
        var version = RequiredString(entry, "version", sourceName, path);
        if (!System.Version.TryParse(version.Contains('.', StringComparison.Ordinal) ? version : version + ".0", out _))
        {
            throw new InvalidDataException($"{sourceName}: {path}.version: '{version}' is not a version such as 4.5 or 5");
        }

        var foundation = OptionalString(entry, "foundationModelId", sourceName, path);
        if (foundation is not null && (!BedrockModelId.TryParse(foundation, out var parsed) || parsed.Kind != BedrockModelIdKind.FoundationModel))
        {
            throw new InvalidDataException($"{sourceName}: {path}.foundationModelId: '{foundation}' is not a Bedrock foundation-model id (vendor.model, e.g. anthropic.claude-…)");
        }

        var prefixes = StringList(entry, "profilePrefixes", sourceName, path);
        foreach (var prefix in prefixes)
        {
            if (!BedrockModelId.GeoPrefixes.ContainsKey(prefix))
            {
                throw new InvalidDataException($"{sourceName}: {path}.profilePrefixes: '{prefix}' is not a system inference-profile prefix; expected one of {string.Join(", ", BedrockModelId.GeoPrefixes.Keys)}");
            }
        }

        return new ModelDefinition
        {
            ClientId = clientId,
            Family = RequiredString(entry, "family", sourceName, path),
            Version = version,
            DisplayName = RequiredString(entry, "displayName", sourceName, path),
            FoundationModelId = foundation,
            ProfilePrefixes = prefixes,
            Regions = StringList(entry, "regions", sourceName, path),
            AvailabilitySource = OptionalString(entry, "availabilitySource", sourceName, path),
            MantleId = OptionalString(entry, "mantleId", sourceName, path),
            Aliases = StringList(entry, "aliases", sourceName, path),
            ContextWindow = OptionalInt(entry, "contextWindow", sourceName, path),
            Supports1MContext = OptionalBool(entry, "supports1MContext", sourceName, path) ?? false,
            DefaultMaxOutputTokens = OptionalInt(entry, "defaultMaxOutputTokens", sourceName, path)
                ?? throw Missing(sourceName, path, "defaultMaxOutputTokens", "the client's default max_tokens, e.g. 64000"),
            MaxOutputTokens = OptionalInt(entry, "maxOutputTokens", sourceName, path)
                ?? throw Missing(sourceName, path, "maxOutputTokens", "the largest max_tokens the model accepts, e.g. 128000"),
            KnowledgeCutoff = OptionalString(entry, "knowledgeCutoff", sourceName, path),
            ReleaseDate = OptionalDate(entry, "releaseDate", sourceName, path),
            Fallback = OptionalString(entry, "fallback", sourceName, path),
            Retired = OptionalBool(entry, "retired", sourceName, path) ?? false,
            RetiredSource = OptionalString(entry, "retiredSource", sourceName, path),
            PriceCode = entry["prices"] is JsonObject p ? OptionalString(p, "code", sourceName, path + ".prices") : null,
            Prices = ReadPrices(entry["prices"], sourceName, path + ".prices"),
            BetaRules = ReadRules(entry["betaRules"], sourceName, path + ".betaRules"),
            FieldRules = ReadRules(entry["fieldRules"], sourceName, path + ".fieldRules"),
        };
    }

    private static ModelPrices ReadPrices(JsonNode? node, string sourceName, string path)
    {
        if (node is null)
        {
            return ModelPrices.Unknown;
        }

        var prices = node as JsonObject ?? throw new InvalidDataException($"{sourceName}: {path}: expected an object with inputPerMTok, outputPerMTok…");
        foreach (var (key, _) in prices)
        {
            if (!PriceKeys.Contains(key))
            {
                throw new InvalidDataException($"{sourceName}: {path}.{key}: unknown key; expected one of {string.Join(", ", PriceKeys)}");
            }
        }

        return new ModelPrices(
            Price(prices, "inputPerMTok", sourceName, path),
            Price(prices, "outputPerMTok", sourceName, path),
            Price(prices, "cacheReadPerMTok", sourceName, path),
            Price(prices, "cacheWrite5mPerMTok", sourceName, path),
            Price(prices, "cacheWrite1hPerMTok", sourceName, path),
            OptionalString(prices, "source", sourceName, path));
    }

    private static decimal? Price(JsonObject obj, string key, string sourceName, string path)
    {
        var node = obj[key];
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue value && value.TryGetValue(out decimal price) && price >= 0)
        {
            return price;
        }

        throw new InvalidDataException($"{sourceName}: {path}.{key}: expected USD per million tokens as a number ≥ 0, or null when unknown");
    }

    private static List<FeatureRule> ReadRules(JsonNode? node, string sourceName, string path)
    {
        var rules = new List<FeatureRule>();
        if (node is null)
        {
            return rules;
        }

        var array = node as JsonArray ?? throw new InvalidDataException($"{sourceName}: {path}: expected an array of rules {{name, action, mapTo, source}}");
        for (var i = 0; i < array.Count; i++)
        {
            var rulePath = $"{path}[{i}]";
            var rule = array[i] as JsonObject ?? throw new InvalidDataException($"{sourceName}: {rulePath}: expected an object {{name, action, mapTo, source}}");
            var name = RequiredString(rule, "name", sourceName, rulePath);
            var actionText = RequiredString(rule, "action", sourceName, rulePath);
            if (!Enum.TryParse<FeatureAction>(actionText, ignoreCase: true, out var action) || !Enum.IsDefined(action) || int.TryParse(actionText, out _))
            {
                throw new InvalidDataException($"{sourceName}: {rulePath}.action: '{actionText}' is not an action; expected pass, strip, map or reject");
            }

            var mapTo = OptionalString(rule, "mapTo", sourceName, rulePath);
            if (action == FeatureAction.Map && mapTo is null)
            {
                throw new InvalidDataException($"{sourceName}: {rulePath}: action 'map' needs 'mapTo' (the name to send instead)");
            }

            var source = OptionalString(rule, "source", sourceName, rulePath)
                ?? throw Missing(sourceName, rulePath, "source", "the spec section the rule rests on, e.g. \"gateway.md §1.4\"");
            if (rules.Any(r => r.Name == name))
            {
                throw new InvalidDataException($"{sourceName}: {rulePath}.name: '{name}' appears twice in {path}; keep one row per name");
            }

            rules.Add(new FeatureRule(name, action, mapTo, source));
        }

        return rules;
    }

    private static InvalidDataException Missing(string sourceName, string path, string key, string expected)
        => new($"{sourceName}: {path}.{key}: missing; expected {expected}");

    private static string RequiredString(JsonObject obj, string key, string sourceName, string path)
        => OptionalString(obj, key, sourceName, path) is { Length: > 0 } value ? value : throw Missing(sourceName, path, key, "a non-empty string");

    private static string? OptionalString(JsonObject obj, string key, string sourceName, string path)
    {
        var node = obj[key];
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue value && value.TryGetValue(out string? text))
        {
            return text;
        }

        throw new InvalidDataException($"{sourceName}: {path}.{key}: expected a string or null");
    }

    private static int? OptionalInt(JsonObject obj, string key, string sourceName, string path)
    {
        var node = obj[key];
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue value && value.TryGetValue(out int number) && number > 0)
        {
            return number;
        }

        throw new InvalidDataException($"{sourceName}: {path}.{key}: expected a positive whole number of tokens, or null");
    }

    private static bool? OptionalBool(JsonObject obj, string key, string sourceName, string path)
    {
        var node = obj[key];
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue value && value.TryGetValue(out bool flag))
        {
            return flag;
        }

        throw new InvalidDataException($"{sourceName}: {path}.{key}: expected true or false");
    }

    private static DateOnly? OptionalDate(JsonObject obj, string key, string sourceName, string path)
    {
        var text = OptionalString(obj, key, sourceName, path);
        if (text is null)
        {
            return null;
        }

        return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new InvalidDataException($"{sourceName}: {path}.{key}: '{text}' is not a date; expected YYYY-MM-DD or null");
    }

    private static List<string> StringList(JsonObject obj, string key, string sourceName, string path)
    {
        var list = new List<string>();
        var node = obj[key];
        if (node is null)
        {
            return list;
        }

        if (node is not JsonArray array)
        {
            throw new InvalidDataException($"{sourceName}: {path}.{key}: expected an array of strings");
        }

        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JsonValue value && value.TryGetValue(out string? text) && text.Length > 0)
            {
                list.Add(text);
            }
            else
            {
                throw new InvalidDataException($"{sourceName}: {path}.{key}[{i}]: expected a non-empty string");
            }
        }

        return list;
    }
}
