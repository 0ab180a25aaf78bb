using System.Text.RegularExpressions;
using Basalt.Aws;
using Basalt.Bedrock;
using Basalt.Bedrock.Models;
using Basalt.Diagnostics;
using YamlDotNet.RepresentationModel;

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
    public static BedrockEmulatorOptions Parse(YamlMappingNode node, string file, List<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var y = new BedrockYaml(file, diagnostics);
        y.CheckKeys(node, Section, "EMU2000", "accountId", "models", "disabledModels", "applicationProfiles", "pacing", "replies", "guardrails");
        var options = new BedrockEmulatorOptions();

        var account = y.String(node, "accountId", Section, "EMU2002");
        if (account is not null)
        {
            if (account.Length == 12 && account.All(char.IsAsciiDigit))
            {
                options = options with { AccountId = account };
            }
            else
            {
                y.Error("EMU2002", $"{Section}.accountId", BedrockYaml.Get(node, "accountId")!, "an AWS account id is 12 digits.", "quote it so YAML keeps leading zeros: accountId: \"012345678901\".");
            }
        }

        if (BedrockYaml.Get(node, "models") is not null)
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

    private static List<GuardrailDefinition> ParseGuardrails(BedrockYaml y, YamlMappingNode node)
    {
        var guardrails = new List<GuardrailDefinition>();
        foreach (var (item, path) in y.MappingItems(node, "guardrails", Section, "EMU2060"))
        {
            y.CheckKeys(item, path, "EMU2000", "id", "version", "deniedTerms", "blockedInputMessaging", "blockedOutputsMessaging");
            var id = y.String(item, "id", path, "EMU2061");
            if (string.IsNullOrEmpty(id))
            {
                y.Error("EMU2061", $"{path}.id", item, "a guardrail needs an id.", "add 'id: gr-example'.");
                continue;
            }

            guardrails.Add(new GuardrailDefinition(
                id,
                y.String(item, "version", path, "EMU2062") ?? "*",
                y.StringList(item, "deniedTerms", path, "EMU2063") ?? [],
                y.String(item, "blockedInputMessaging", path, "EMU2064") ?? "Sorry, the model cannot answer this question.",
                y.String(item, "blockedOutputsMessaging", path, "EMU2064") ?? "Sorry, the model cannot answer this question."));
        }

        return guardrails;
    }

    private static List<BedrockModelDefinition> ParseModels(BedrockYaml y, YamlMappingNode node)
    {
        var models = new List<BedrockModelDefinition>();
        foreach (var (item, path) in y.MappingItems(node, "models", Section, "EMU2010"))
        {
            y.CheckKeys(item, path, "EMU2000", "id", "name", "geographies", "maxOutputTokens", "contextWindow", "onDemand", "provider");
            var id = y.String(item, "id", path, "EMU2011");
            // A model of Basalt's catalogue (any of its ids) brings its own defaults; the keys below override them.
            var known = id is null ? null : ModelCatalogue.Default.Find(id);
            if (known?.FoundationModelId is { } foundation)
            {
                id = foundation;
            }

            if (id is null || !BedrockModelId.TryParse(id, out var parsed) || parsed.Kind != BedrockModelIdKind.FoundationModel)
            {
                y.Error("EMU2011", $"{path}.id", BedrockYaml.Get(item, "id") ?? item, $"expected a foundation-model id (vendor.model) or a model of Basalt's catalogue ('basalt models list'), got '{id}'.");
                continue;
            }

            if (models.Any(m => m.Id == id))
            {
                y.Error("EMU2012", $"{path}.id", item, $"model '{id}' is listed twice.");
                continue;
            }

            var geos = y.StringList(item, "geographies", path, "EMU2013") ?? known?.ProfilePrefixes.ToList() ?? [];
            foreach (var g in geos.Where(g => !BedrockModelId.GeoPrefixes.ContainsKey(g)))
            {
                y.Error("EMU2013", $"{path}.geographies", item, $"'{g}' is not a system inference-profile prefix.", $"use any of: {string.Join(", ", BedrockModelId.GeoPrefixes.Keys)}.");
            }

            models.Add(new BedrockModelDefinition(
                id,
                y.String(item, "name", path, "EMU2014") ?? known?.DisplayName ?? id,
                geos.Where(BedrockModelId.GeoPrefixes.ContainsKey).Distinct().ToList(),
                y.Int(item, "maxOutputTokens", path, "EMU2015", 1, 1_000_000) ?? known?.MaxOutputTokens ?? 64000,
                y.Bool(item, "onDemand", path, "EMU2016") ?? false)
            {
                ProviderName = y.String(item, "provider", path, "EMU2014") ?? "Anthropic",
                ContextWindow = y.Int(item, "contextWindow", path, "EMU2017", 1, 100_000_000) ?? known?.ContextWindow,
                AcceptsSystemMessages = known is not null && BedrockModelDefinition.From(known).AcceptsSystemMessages,
            });
        }

        if (models.Count == 0)
        {
            y.Error("EMU2010", $"{Section}.models", BedrockYaml.Get(node, "models")!, "the model list is empty, so every request would fail.", "list at least one model, or remove 'models' to use the built-in list.");
        }

        return models;
    }

    /// <summary>
    /// <c>disabledModels</c>: account id → models that account has not enabled. Bedrock lists only what an account
    /// can use in a region and answers AccessDeniedException for the rest, which is what <c>basalt models sync</c>
    /// reads; ids may be any id of a served model (client id, foundation id, profile id).
    /// </summary>
    private static Dictionary<string, HashSet<string>> ParseDisabledModels(BedrockYaml y, YamlMappingNode node, IReadOnlyList<BedrockModelDefinition> models)
    {
        var disabled = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        if (BedrockYaml.Get(node, "disabledModels") is not { } value)
        {
            return disabled;
        }

        const string path = Section + ".disabledModels";
        if (value is not YamlMappingNode accounts)
        {
            y.Error("EMU2030", path, value, "expected a mapping of account id to a list of model ids.", "write e.g. disabledModels: { \"123456789012\": [claude-…] }.");
            return disabled;
        }

        foreach (var (key, _) in accounts.Children)
        {
            var account = ((YamlScalarNode)key).Value ?? string.Empty;
            var accountPath = $"{path}.{account}";
            if (account.Length != 12 || !account.All(char.IsAsciiDigit))
            {
                y.Error("EMU2030", accountPath, key, "an AWS account id is 12 digits.", "quote it so YAML keeps leading zeros.");
                continue;
            }

            var set = new HashSet<string>(StringComparer.Ordinal);
            foreach (var id in y.StringList(accounts, account, path, "EMU2031") ?? [])
            {
                var foundation = ModelCatalogue.Default.Find(id)?.FoundationModelId
                    ?? (BedrockModelId.TryParse(id, out var parsed) ? parsed.FoundationModelId : null);
                if (foundation is null || !models.Any(m => m.Id == foundation))
                {
                    y.Error("EMU2031", accountPath, key, $"'{id}' is not a model this emulator serves.", "use an id from 'basalt models list' or from bedrock.models.");
                    continue;
                }

                set.Add(foundation);
            }

            disabled[account] = set;
        }

        return disabled;
    }

    private static List<ApplicationProfileDefinition> ParseApplicationProfiles(BedrockYaml y, YamlMappingNode node, IReadOnlyList<BedrockModelDefinition> models)
    {
        var profiles = new List<ApplicationProfileDefinition>();
        foreach (var (item, path) in y.MappingItems(node, "applicationProfiles", Section, "EMU2020"))
        {
            y.CheckKeys(item, path, "EMU2000", "id", "name", "source", "description");
            var id = y.String(item, "id", path, "EMU2021");
            if (id is null || !ApplicationProfileIdPattern().IsMatch(id))
            {
                y.Error("EMU2021", $"{path}.id", BedrockYaml.Get(item, "id") ?? item, $"expected an application inference profile id (lower-case letters and digits, e.g. a1b2c3d4e5f6), got '{id}'.");
                continue;
            }

            var source = y.String(item, "source", path, "EMU2022");
            var sourceModel = source is not null && BedrockModelId.TryParse(source, out var s) && s.Kind is BedrockModelIdKind.FoundationModel or BedrockModelIdKind.SystemInferenceProfile
                ? s.FoundationModelId
                : null;
            if (sourceModel is null || !models.Any(m => m.Id == sourceModel))
            {
                y.Error("EMU2022", $"{path}.source", BedrockYaml.Get(item, "source") ?? item, $"'{source}' is not a configured model or a system profile of one.", "use a foundation-model id or system profile id from bedrock.models (or the built-in list).");
                continue;
            }

            profiles.Add(new ApplicationProfileDefinition(id, y.String(item, "name", path, "EMU2023") ?? id, source!, y.String(item, "description", path, "EMU2023")));
        }

        return profiles;
    }

    private static PacingOptions ParsePacing(BedrockYaml y, YamlMappingNode node)
    {
        var map = y.Mapping(node, "pacing", Section, "EMU2030");
        if (map is null)
        {
            return PacingOptions.None;
        }

        const string path = Section + ".pacing";
        y.CheckKeys(map, path, "EMU2000", "firstByteDelayMs", "tokensPerSecond");
        return new PacingOptions(
            TimeSpan.FromMilliseconds(y.Int(map, "firstByteDelayMs", path, "EMU2031", 0, 600_000) ?? 0),
            y.Double(map, "tokensPerSecond", path, "EMU2032", 0, 1_000_000) ?? 0);
    }

    private static ReplyOptions ParseReplies(BedrockYaml y, YamlMappingNode node, string baseDirectory)
    {
        var map = y.Mapping(node, "replies", Section, "EMU2040");
        if (map is null)
        {
            return ReplyOptions.Echo;
        }

        const string path = Section + ".replies";
        y.CheckKeys(map, path, "EMU2000", "default", "defaultText", "directory", "rules");
        var mode = ReplyMode.Echo;
        var modeText = y.String(map, "default", path, "EMU2041");
        if (modeText is "text")
        {
            mode = ReplyMode.Text;
        }
        else if (modeText is not (null or "echo"))
        {
            y.Error("EMU2041", $"{path}.default", BedrockYaml.Get(map, "default")!, $"'{modeText}' is not a reply mode.", "use echo or text.");
        }

        var directory = y.String(map, "directory", path, "EMU2042") is { } d ? Path.GetFullPath(d, baseDirectory) : baseDirectory;
        var rules = new List<ScriptedRule>();
        foreach (var (item, itemPath) in y.MappingItems(map, "rules", path, "EMU2043"))
        {
            if (ParseRule(y, item, itemPath, rules.Count, directory) is { } rule)
            {
                rules.Add(rule);
            }
        }

        return new ReplyOptions(mode, y.String(map, "defaultText", path, "EMU2041") ?? "OK", rules);
    }

    private static ScriptedRule? ParseRule(BedrockYaml y, YamlMappingNode item, string path, int index, string directory)
    {
        y.CheckKeys(item, path, "EMU2000", "name", "contains", "regex", "toolResult", "reply", "replyFile", "thinking", "toolUse", "afterToolResult", "afterToolResultFile", "stopReason");
        Regex? pattern = null;
        if (y.String(item, "regex", path, "EMU2044") is { } regex)
        {
            try
            {
                pattern = new Regex(regex, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(200));
            }
            catch (ArgumentException e)
            {
                y.Error("EMU2044", $"{path}.regex", BedrockYaml.Get(item, "regex")!, $"invalid regular expression: {e.Message}");
                return null;
            }
        }

        var reply = Text(y, item, "reply", "replyFile", path, directory);
        var after = Text(y, item, "afterToolResult", "afterToolResultFile", path, directory);
        ToolUseReply? toolUse = null;
        if (y.Mapping(item, "toolUse", path, "EMU2046") is { } tool)
        {
            y.CheckKeys(tool, $"{path}.toolUse", "EMU2000", "name", "input");
            var name = y.String(tool, "name", $"{path}.toolUse", "EMU2046");
            if (string.IsNullOrEmpty(name))
            {
                y.Error("EMU2046", $"{path}.toolUse.name", tool, "a tool_use reply needs the tool's name.");
                return null;
            }

            var input = BedrockYaml.Get(tool, "input");
            if (input is not (null or YamlMappingNode))
            {
                y.Error("EMU2046", $"{path}.toolUse.input", input, "the tool input must be a mapping (it becomes a JSON object).");
                return null;
            }

            toolUse = new ToolUseReply(name, input is null ? "{}" : BedrockYaml.ToJson(input));
        }

        if (reply is null && toolUse is null)
        {
            y.Error("EMU2047", path, item, "the rule has nothing to answer.", "add reply:, replyFile: or toolUse:.");
            return null;
        }

        if (after is not null && toolUse is null)
        {
            y.Error("EMU2048", $"{path}.afterToolResult", item, "afterToolResult only applies to a rule with toolUse.");
            return null;
        }

        var stop = y.String(item, "stopReason", path, "EMU2049");
        if (stop is not (null or "end_turn" or "max_tokens" or "stop_sequence" or "tool_use" or "pause_turn" or "refusal"))
        {
            y.Error("EMU2049", $"{path}.stopReason", BedrockYaml.Get(item, "stopReason")!, $"'{stop}' is not an Anthropic stop_reason.", "use end_turn, refusal or pause_turn.");
            stop = null;
        }

        return new ScriptedRule(index, y.String(item, "name", path, "EMU2043") ?? $"rule {index + 1}")
        {
            Contains = y.String(item, "contains", path, "EMU2043"),
            Pattern = pattern,
            ToolResult = y.String(item, "toolResult", path, "EMU2043"),
            Reply = reply,
            Thinking = y.String(item, "thinking", path, "EMU2043"),
            ToolUse = toolUse,
            AfterToolResult = after,
            StopReason = stop,
        };
    }

    /// <summary>Inline text or the contents of a file (read once at load, so a reply never fails mid-request).</summary>
    private static string? Text(BedrockYaml y, YamlMappingNode item, string key, string fileKey, string path, string directory)
    {
        var inline = y.String(item, key, path, "EMU2045");
        var file = y.String(item, fileKey, path, "EMU2045");
        if (inline is not null && file is not null)
        {
            y.Error("EMU2045", $"{path}.{fileKey}", item, $"give either {key} or {fileKey}, not both.");
        }

        if (file is null)
        {
            return inline;
        }

        var full = Path.GetFullPath(file, directory);
        try
        {
            return File.ReadAllText(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            y.Error("EMU2045", $"{path}.{fileKey}", BedrockYaml.Get(item, fileKey)!, $"cannot read reply file {full}: {e.Message}", "paths are relative to bedrock.replies.directory, or to the YAML file's folder.");
            return null;
        }
    }

    [GeneratedRegex("^[a-z0-9]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex ApplicationProfileIdPattern();
}
