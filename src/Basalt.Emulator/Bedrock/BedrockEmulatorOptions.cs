using System.Text.RegularExpressions;
using Basalt.Aws;
using Basalt.Bedrock;
using Basalt.Bedrock.Models;
using Basalt.Diagnostics;
using Basalt.Emulator.Configuration;
using Basalt.Diagnostics.Reading;

namespace Basalt.Emulator.Bedrock;

/// <summary>
/// The <c>bedrock:</c> section of the emulator YAML file: region and account the emulated Bedrock lives in, the
/// models it serves, application inference profiles, pacing and the reply script (docs/emulator.md).
/// Diagnostic codes EMU20xx.
/// </summary>
public sealed partial record BedrockEmulatorOptions
{
    private const string Section = "bedrock";

    /// <summary>
    /// The region the emulated Bedrock serves; its partition (<c>aws</c>, <c>aws-us-gov</c>, <c>aws-cn</c>) follows.
    /// Not part of the <c>bedrock:</c> section: the host sets it from the file's top-level <c>region</c>.
    /// </summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>
    /// The account that owns inference-profile and application-inference-profile ARNs; when not set, the host
    /// uses its first configured account, else <c>123456789012</c>.
    /// </summary>
    public string? AccountId { get; init; }

    internal string EffectiveAccountId => AccountId ?? "123456789012";

    public AwsPartition Partition => AwsPartition.ForRegion(Region) ?? AwsPartition.Aws;

    internal IReadOnlyList<BedrockModelDefinition> Models { get; init; } = BedrockModelDefinition.BuiltIn;

    internal IReadOnlyList<ApplicationProfileDefinition> ApplicationProfiles { get; init; } = [];

    /// <summary>Account id → foundation-model ids the account has not enabled (listed nowhere, AccessDenied on invoke).</summary>
    internal IReadOnlyDictionary<string, HashSet<string>> DisabledModels { get; init; } = new Dictionary<string, HashSet<string>>();

    /// <summary>True when <paramref name="accountId"/> may use the foundation model <paramref name="modelId"/>.</summary>
    internal bool IsEnabled(string? accountId, string modelId)
        => accountId is null || !DisabledModels.TryGetValue(accountId, out var disabled) || !disabled.Contains(modelId);

    internal PacingOptions Pacing { get; init; } = PacingOptions.None;

    internal ReplyOptions Replies { get; init; } = ReplyOptions.Echo;

    /// <summary>Simulated guardrails (issue 12); a request naming one that is not configured is a ValidationException.</summary>
    internal IReadOnlyList<GuardrailDefinition> Guardrails { get; init; } = [];

    /// <summary>Built-in models, echo replies, no pacing, us-east-1.</summary>
    public static BedrockEmulatorOptions Default { get; } = new();

    /// <summary>
    /// Reads the <c>bedrock:</c> mapping. <paramref name="file"/> locates diagnostics and resolves relative reply
    /// files. Problems are appended to <paramref name="diagnostics"/>; the result is usable (defaults stand in for
    /// bad values) but callers should refuse to start when any diagnostic is an error.
    /// </summary>
    public static BedrockEmulatorOptions Parse(InputNode node, string file, List<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var y = EmulatorOptionsLoader.SectionReader(file, "EMU2000", diagnostics);
        y.CheckKeys(node, Section, ["accountId", "models", "disabledModels", "applicationProfiles", "pacing", "replies", "guardrails"]);
        var options = new BedrockEmulatorOptions();

        var account = y.WithCode("EMU2002").String(node, "accountId", Section)?.Value;
        if (account is not null)
        {
            if (account.Length == 12 && account.All(char.IsAsciiDigit))
            {
                options = options with { AccountId = account };
            }
            else
            {
                y.Error("EMU2002", node.Get("accountId")!, $"{Section}.accountId", "an AWS account id is 12 digits.", "quote it so YAML keeps leading zeros: accountId: \"012345678901\".");
            }
        }

        if (node.Get("models") is not null)
        {
            options = options with { Models = ParseModels(y, node) };
        }

        options = options with
        {
            DisabledModels = ParseDisabledModels(y, node, options.Models),
            ApplicationProfiles = ParseApplicationProfiles(y, node, options.Models),
            Pacing = ParsePacing(y, node),
            Replies = ParseReplies(y, node, Path.GetDirectoryName(Path.GetFullPath(file)) ?? Environment.CurrentDirectory),
            Guardrails = ParseGuardrails(y, node),
        };
        return options;
    }

    private static List<GuardrailDefinition> ParseGuardrails(FieldReader y, InputNode node)
    {
        var guardrails = new List<GuardrailDefinition>();
        foreach (var (item, path) in y.WithCode("EMU2060").MappingItems(node, "guardrails", Section))
        {
            y.CheckKeys(item, path, ["id", "version", "deniedTerms", "blockedInputMessaging", "blockedOutputsMessaging"]);
            var id = y.WithCode("EMU2061").String(item, "id", path)?.Value;
            if (string.IsNullOrEmpty(id))
            {
                y.Error("EMU2061", item, $"{path}.id", "a guardrail needs an id.", "add 'id: gr-example'.");
                continue;
            }

            guardrails.Add(new GuardrailDefinition(
                id,
                y.WithCode("EMU2062").String(item, "version", path)?.Value ?? "*",
                y.WithCode("EMU2063").StringList(item, "deniedTerms", path)?.Select(v => v.Value).ToList() ?? [],
                y.WithCode("EMU2064").String(item, "blockedInputMessaging", path)?.Value ?? "Sorry, the model cannot answer this question.",
                y.WithCode("EMU2064").String(item, "blockedOutputsMessaging", path)?.Value ?? "Sorry, the model cannot answer this question."));
        }

        return guardrails;
    }

    private static List<BedrockModelDefinition> ParseModels(FieldReader y, InputNode node)
    {
        var models = new List<BedrockModelDefinition>();
        foreach (var (item, path) in y.WithCode("EMU2010").MappingItems(node, "models", Section))
        {
            y.CheckKeys(item, path, ["id", "name", "geographies", "maxOutputTokens", "contextWindow", "onDemand", "provider"]);
            var id = y.WithCode("EMU2011").String(item, "id", path)?.Value;
            // A model of Basalt's catalogue (any of its ids) brings its own defaults; the keys below override them.
            var known = id is null ? null : ModelCatalogue.Default.Find(id);
            if (known?.FoundationModelId is { } foundation)
            {
                id = foundation;
            }

            if (id is null || !BedrockModelId.TryParse(id, out var parsed) || parsed.Kind != BedrockModelIdKind.FoundationModel)
            {
                y.Error("EMU2011", item.Get("id") ?? item, $"{path}.id", $"expected a foundation-model id (vendor.model) or a model of Basalt's catalogue ('basalt models list'), got '{id}'.", null);
                continue;
            }

            if (models.Any(m => m.Id == id))
            {
                y.Error("EMU2012", item, $"{path}.id", $"model '{id}' is listed twice.", null);
                continue;
            }

            var geos = y.WithCode("EMU2013").StringList(item, "geographies", path)?.Select(v => v.Value).ToList() ?? known?.ProfilePrefixes.ToList() ?? [];
            foreach (var g in geos.Where(g => !BedrockModelId.GeoPrefixes.ContainsKey(g)))
            {
                y.Error("EMU2013", item, $"{path}.geographies", $"'{g}' is not a system inference-profile prefix.", $"use any of: {string.Join(", ", BedrockModelId.GeoPrefixes.Keys)}.");
            }

            models.Add(new BedrockModelDefinition(
                id,
                y.WithCode("EMU2014").String(item, "name", path)?.Value ?? known?.DisplayName ?? id,
                geos.Where(BedrockModelId.GeoPrefixes.ContainsKey).Distinct().ToList(),
                y.WithCode("EMU2015").Int(item, "maxOutputTokens", path, 1, 1_000_000) ?? known?.MaxOutputTokens ?? 64000,
                y.WithCode("EMU2016").Bool(item, "onDemand", path) ?? false)
            {
                ProviderName = y.WithCode("EMU2014").String(item, "provider", path)?.Value ?? "Anthropic",
                ContextWindow = y.WithCode("EMU2017").Int(item, "contextWindow", path, 1, 100_000_000) ?? known?.ContextWindow,
                AcceptsSystemMessages = known is not null && BedrockModelDefinition.From(known).AcceptsSystemMessages,
            });
        }

        if (models.Count == 0)
        {
            y.Error("EMU2010", node.Get("models")!, $"{Section}.models", "the model list is empty, so every request would fail.", "list at least one model, or remove 'models' to use the built-in list.");
        }

        return models;
    }

    /// <summary>
    /// <c>disabledModels</c>: account id → models that account has not enabled. Bedrock lists only what an account
    /// can use in a region and answers AccessDeniedException for the rest, which is what <c>basalt models sync</c>
    /// reads; ids may be any id of a served model (client id, foundation id, profile id).
    /// </summary>
    private static Dictionary<string, HashSet<string>> ParseDisabledModels(FieldReader y, InputNode node, IReadOnlyList<BedrockModelDefinition> models)
    {
        var disabled = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        if (node.Get("disabledModels") is not { } value)
        {
            return disabled;
        }

        const string path = Section + ".disabledModels";
        if (value.Kind != InputNodeKind.Mapping)
        {
            y.Error("EMU2030", value, path, "expected a mapping of account id to a list of model ids.", "write e.g. disabledModels: { \"123456789012\": [claude-…] }.");
            return disabled;
        }

        var accounts = value;
        foreach (var (key, _) in accounts.Entries)
        {
            var account = key.Scalar ?? string.Empty;
            var accountPath = $"{path}.{account}";
            if (account.Length != 12 || !account.All(char.IsAsciiDigit))
            {
                y.Error("EMU2030", key, accountPath, "an AWS account id is 12 digits.", "quote it so YAML keeps leading zeros.");
                continue;
            }

            var set = new HashSet<string>(StringComparer.Ordinal);
            foreach (var id in y.WithCode("EMU2031").StringList(accounts, account, path)?.Select(v => v.Value).ToList() ?? [])
            {
                var foundation = ModelCatalogue.Default.Find(id)?.FoundationModelId
                    ?? (BedrockModelId.TryParse(id, out var parsed) ? parsed.FoundationModelId : null);
                if (foundation is null || !models.Any(m => m.Id == foundation))
                {
                    y.Error("EMU2031", key, accountPath, $"'{id}' is not a model this emulator serves.", "use an id from 'basalt models list' or from bedrock.models.");
                    continue;
                }

                set.Add(foundation);
            }

            disabled[account] = set;
        }

        return disabled;
    }

    private static List<ApplicationProfileDefinition> ParseApplicationProfiles(FieldReader y, InputNode node, IReadOnlyList<BedrockModelDefinition> models)
    {
        var profiles = new List<ApplicationProfileDefinition>();
        foreach (var (item, path) in y.WithCode("EMU2020").MappingItems(node, "applicationProfiles", Section))
        {
            y.CheckKeys(item, path, ["id", "name", "source", "description"]);
            var id = y.WithCode("EMU2021").String(item, "id", path)?.Value;
            if (id is null || !ApplicationProfileIdPattern().IsMatch(id))
            {
                y.Error("EMU2021", item.Get("id") ?? item, $"{path}.id", $"expected an application inference profile id (lower-case letters and digits, e.g. a1b2c3d4e5f6), got '{id}'.", null);
                continue;
            }

            var source = y.WithCode("EMU2022").String(item, "source", path)?.Value;
            var sourceModel = source is not null && BedrockModelId.TryParse(source, out var s) && s.Kind is BedrockModelIdKind.FoundationModel or BedrockModelIdKind.SystemInferenceProfile
                ? s.FoundationModelId
                : null;
            if (sourceModel is null || !models.Any(m => m.Id == sourceModel))
            {
                y.Error("EMU2022", item.Get("source") ?? item, $"{path}.source", $"'{source}' is not a configured model or a system profile of one.", "use a foundation-model id or system profile id from bedrock.models (or the built-in list).");
                continue;
            }

            profiles.Add(new ApplicationProfileDefinition(id, y.WithCode("EMU2023").String(item, "name", path)?.Value ?? id, source!, y.WithCode("EMU2023").String(item, "description", path)?.Value));
        }

        return profiles;
    }

    private static PacingOptions ParsePacing(FieldReader y, InputNode node)
    {
        var map = y.WithCode("EMU2030").Mapping(node, "pacing", Section);
        if (map is null)
        {
            return PacingOptions.None;
        }

        const string path = Section + ".pacing";
        y.CheckKeys(map, path, ["firstByteDelayMs", "tokensPerSecond"]);
        return new PacingOptions(
            TimeSpan.FromMilliseconds(y.WithCode("EMU2031").Int(map, "firstByteDelayMs", path, 0, 600_000) ?? 0),
            y.WithCode("EMU2032").Double(map, "tokensPerSecond", path, 0, 1_000_000) ?? 0);
    }

    private static ReplyOptions ParseReplies(FieldReader y, InputNode node, string baseDirectory)
    {
        var map = y.WithCode("EMU2040").Mapping(node, "replies", Section);
        if (map is null)
        {
            return ReplyOptions.Echo;
        }

        const string path = Section + ".replies";
        y.CheckKeys(map, path, ["default", "defaultText", "directory", "rules"]);
        var mode = ReplyMode.Echo;
        var modeText = y.WithCode("EMU2041").String(map, "default", path)?.Value;
        if (modeText is "text")
        {
            mode = ReplyMode.Text;
        }
        else if (modeText is not (null or "echo"))
        {
            y.Error("EMU2041", map.Get("default")!, $"{path}.default", $"'{modeText}' is not a reply mode.", "use echo or text.");
        }

        var directory = y.WithCode("EMU2042").String(map, "directory", path)?.Value is { } d ? Path.GetFullPath(d, baseDirectory) : baseDirectory;
        var rules = new List<ScriptedRule>();
        foreach (var (item, itemPath) in y.WithCode("EMU2043").MappingItems(map, "rules", path))
        {
            if (ParseRule(y, item, itemPath, rules.Count, directory) is { } rule)
            {
                rules.Add(rule);
            }
        }

        return new ReplyOptions(mode, y.WithCode("EMU2041").String(map, "defaultText", path)?.Value ?? "OK", rules);
    }

    private static ScriptedRule? ParseRule(FieldReader y, InputNode item, string path, int index, string directory)
    {
        y.CheckKeys(item, path, ["name", "contains", "regex", "toolResult", "reply", "replyFile", "thinking", "toolUse", "afterToolResult", "afterToolResultFile", "stopReason"]);
        Regex? pattern = null;
        if (y.WithCode("EMU2044").String(item, "regex", path)?.Value is { } regex)
        {
            try
            {
                pattern = new Regex(regex, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(200));
            }
            catch (ArgumentException e)
            {
                y.Error("EMU2044", item.Get("regex")!, $"{path}.regex", $"invalid regular expression: {e.Message}", null);
                return null;
            }
        }

        var reply = Text(y, item, "reply", "replyFile", path, directory);
        var after = Text(y, item, "afterToolResult", "afterToolResultFile", path, directory);
        ToolUseReply? toolUse = null;
        if (y.WithCode("EMU2046").Mapping(item, "toolUse", path) is { } tool)
        {
            y.CheckKeys(tool, $"{path}.toolUse", ["name", "input"]);
            var name = y.WithCode("EMU2046").String(tool, "name", $"{path}.toolUse")?.Value;
            if (string.IsNullOrEmpty(name))
            {
                y.Error("EMU2046", tool, $"{path}.toolUse.name", "a tool_use reply needs the tool's name.", null);
                return null;
            }

            var input = tool.Get("input");
            if (input is not null && input.Kind != InputNodeKind.Mapping)
            {
                y.Error("EMU2046", input, $"{path}.toolUse.input", "the tool input must be a mapping (it becomes a JSON object).", null);
                return null;
            }

            toolUse = new ToolUseReply(name, input is null ? "{}" : InputJson.Write(y, input, $"{path}.toolUse.input")?.Value ?? "{}");
        }

        if (reply is null && toolUse is null)
        {
            y.Error("EMU2047", item, path, "the rule has nothing to answer.", "add reply:, replyFile: or toolUse:.");
            return null;
        }

        if (after is not null && toolUse is null)
        {
            y.Error("EMU2048", item, $"{path}.afterToolResult", "afterToolResult only applies to a rule with toolUse.", null);
            return null;
        }

        var stop = y.WithCode("EMU2049").String(item, "stopReason", path)?.Value;
        if (stop is not (null or "end_turn" or "max_tokens" or "stop_sequence" or "tool_use" or "pause_turn" or "refusal"))
        {
            y.Error("EMU2049", item.Get("stopReason")!, $"{path}.stopReason", $"'{stop}' is not an Anthropic stop_reason.", "use end_turn, refusal or pause_turn.");
            stop = null;
        }

        return new ScriptedRule(index, y.WithCode("EMU2043").String(item, "name", path)?.Value ?? $"rule {index + 1}")
        {
            Contains = y.WithCode("EMU2043").String(item, "contains", path)?.Value,
            Pattern = pattern,
            ToolResult = y.WithCode("EMU2043").String(item, "toolResult", path)?.Value,
            Reply = reply,
            Thinking = y.WithCode("EMU2043").String(item, "thinking", path)?.Value,
            ToolUse = toolUse,
            AfterToolResult = after,
            StopReason = stop,
        };
    }

    /// <summary>Inline text or the contents of a file (read once at load, so a reply never fails mid-request).</summary>
    private static string? Text(FieldReader y, InputNode item, string key, string fileKey, string path, string directory)
    {
        var inline = y.WithCode("EMU2045").String(item, key, path)?.Value;
        var file = y.WithCode("EMU2045").String(item, fileKey, path)?.Value;
        if (inline is not null && file is not null)
        {
            y.Error("EMU2045", item, $"{path}.{fileKey}", $"give either {key} or {fileKey}, not both.", null);
        }

        if (file is null)
        {
            return inline;
        }

        var full = Path.GetFullPath(file, directory);
        // Read like any outside input: a regular file within the input limit, strict UTF-8 (replyFile: /dev/zero
        // is a diagnostic at load, not a hang).
        var bytes = InputText.ReadFile(full, InputLimits.Default.MaxInputBytes, out var problem);
        var problems = new List<Diagnostic>();
        if (bytes is not null && InputText.Decode(bytes, full, InputLimits.Default, problems) is { } text)
        {
            return text;
        }

        var reason = problem switch
        {
            InputText.FileProblem.None => problems.FirstOrDefault()?.Message ?? "not valid UTF-8",
            InputText.FileProblem.NotFound => "the file does not exist",
            InputText.FileProblem.NotRegularFile => "it is not a regular file",
            InputText.FileProblem.TooLarge => $"it is larger than {InputLimits.Default.MaxInputBytes:N0} bytes",
            _ => "the file cannot be read (permissions?)",
        };
        y.Error("EMU2045", item.Get(fileKey)!, $"{path}.{fileKey}", $"cannot read reply file {full}: {reason}", "paths are relative to bedrock.replies.directory, or to the YAML file's folder.");
        return null;
    }

    [GeneratedRegex("^[a-z0-9]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex ApplicationProfileIdPattern();
}
