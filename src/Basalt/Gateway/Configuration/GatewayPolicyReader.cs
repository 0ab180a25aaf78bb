using Basalt.Deployment;
using Basalt.Diagnostics;
using Basalt.Diagnostics.Reading;
using Basalt.Policy;
using Basalt.Policy.Archive;
using Basalt.Policy.Guardrails;
using Basalt.Policy.Pii;
using Basalt.Policy.Routing;

namespace Basalt.Gateway.Configuration;

/// <summary>
/// Reads a group's <c>policy:</c> (issue 12 item 5: next to the group it governs) and the gateway's <c>archive:</c>
/// section, with the same <c>file:line:column</c> diagnostics as the rest of the configuration.
/// </summary>
internal static class GatewayPolicyReader
{
    private static readonly string[] PolicyKeys = ["pii", "guardrail", "archive", "routing"];
    private static readonly string[] PiiKeys = [.. PiiCategoryNames.ConfigurationWords.Keys, "nationalIdCountries", "custom", "restore", "scanAnswers"];
    private static readonly string[] CustomKeys = ["name", "pattern", "action"];
    private static readonly string[] GuardrailKeys = ["id", "version", "trace"];
    private static readonly string[] RoutingKeys = ["aliases", "rewrites"];
    private static readonly string[] AliasKeys = ["rules", "default"];
    private static readonly string[] RuleKeys = ["when", "model"];
    private static readonly string[] WhenKeys = ["minInputTokens", "maxInputTokens", "tools", "thinking"];
    private static readonly string[] ArchiveKeys = ["path", "key", "retentionDays"];
    private static readonly string[] Actions = ["mask", "block", "log-only"];

    public static GroupPolicy Read(FieldReader context, InputNode group, string groupPath, IReadOnlyList<GatewayModel> models)
    {
        // Routing targets may name a model by its id or any of its aliases; rewrites are keyed by the model id, so
        // "opus: sonnet" catches every name a client may use for that model.
        // Any name of a model (id or alias) → its id. Ids and aliases are unique (the models reader refuses a name
        // given twice), so the first of a duplicate only matters in a file that already has that error.
        var canonical = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var model in models)
        {
            foreach (var name in model.Aliases.Prepend(model.Id))
            {
                canonical.TryAdd(name, model.Id);
            }
        }

        var node = context.Mapping(group, "policy", groupPath);
        if (node is null)
        {
            return GroupPolicy.None;
        }

        var path = FieldReader.Join(groupPath, "policy");
        context.CheckKeys(node, path, PolicyKeys);
        return new GroupPolicy
        {
            Pii = ReadPii(context, node, path),
            Guardrail = ReadGuardrail(context, node, path),
            Archive = context.Bool(node, "archive", path) ?? false,
            Routing = ReadRouting(context, node, path, canonical),
        };
    }

    public static GatewayArchive? ReadArchive(FieldReader context, InputNode section, string prefix, bool anyGroupArchives)
    {
        var node = context.Mapping(section, "archive", prefix);
        var path = FieldReader.Join(prefix, "archive");
        if (node is null)
        {
            if (anyGroupArchives)
            {
                context.Diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, GatewayDiagnosticCodes.ArchiveMissing,
                    "a group's policy sets 'archive: true' but the gateway has no 'archive:' section (where to store it, and the key)", path, section.Location,
                    "add 'archive: { path: data/archive.db, key: \"${file:archive.key}\" }' (make the key with `openssl rand -base64 32 > archive.key; chmod 600 archive.key`)"));
            }

            return null;
        }

        context.CheckKeys(node, path, ArchiveKeys);
        var file = context.String(node, "path", path, required: true, fix: "add 'path: data/archive.db'");
        var keyText = context.String(node, "key", path, required: true, fix: "add 'key: \"${file:archive.key}\"' (32 random bytes, base64)", secret: true);
        var days = context.Int(node, "retentionDays", path, 1, 36500) ?? 365;
        if (file is null || keyText is null)
        {
            return null;
        }

        if (!ArchiveKey.TryParse(keyText.Value, out var key, out var problem))
        {
            context.Diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, GatewayDiagnosticCodes.BadArchiveKey, problem!, FieldReader.Join(path, "key"), keyText.Location,
                "point 'key:' at a file holding `openssl rand -base64 32` output"));
            return null;
        }

        return new GatewayArchive(file.Value, key!, TimeSpan.FromDays(days));
    }

    private static PiiPolicy? ReadPii(FieldReader context, InputNode policy, string policyPath)
    {
        var node = context.Mapping(policy, "pii", policyPath);
        if (node is null)
        {
            return null;
        }

        var path = FieldReader.Join(policyPath, "pii");
        context.CheckKeys(node, path, PiiKeys);
        var actions = new Dictionary<PiiCategory, PiiAction>();
        foreach (var (key, category) in PiiCategoryNames.ConfigurationWords)
        {
            if (context.Choice(node, key, path, Actions) is { } action)
            {
                actions[category] = Action(action);
            }
        }

        var countries = new List<string>();
        foreach (var country in context.StringList(node, "nationalIdCountries", path) ?? [])
        {
            if (PiiScanner.NationalIdCountries.Contains(country.Value, StringComparer.OrdinalIgnoreCase))
            {
                countries.Add(country.Value.ToUpperInvariant());
            }
            else
            {
                context.Diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, GatewayDiagnosticCodes.BadPolicy,
                    $"national ids of '{country.Value}' are not detected", FieldReader.Join(path, "nationalIdCountries"), country.Location,
                    $"use one of {string.Join(", ", PiiScanner.NationalIdCountries)}, or a custom pattern"));
            }
        }

        var custom = new List<PiiCustomPattern>();
        foreach (var (item, itemPath) in context.MappingItems(node, "custom", path))
        {
            context.CheckKeys(item, itemPath, CustomKeys);
            var name = context.String(item, "name", itemPath, required: true, fix: "add 'name: employee-id'");
            var pattern = context.String(item, "pattern", itemPath, required: true, fix: "add 'pattern: \"EMP-[0-9]{6}\"'");
            var action = context.Choice(item, "action", itemPath, Actions, defaultValue: "mask");
            if (name is null || pattern is null || action is null)
            {
                continue;
            }

            try
            {
                _ = PiiScanner.CompileCustom(pattern.Value);
                custom.Add(new PiiCustomPattern(name.Value, pattern.Value, Action(action)));
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException)
            {
                // NonBacktracking refuses lookarounds and backreferences: say so rather than silently not matching.
                context.Diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, GatewayDiagnosticCodes.BadPolicy,
                    $"pattern '{name.Value}' cannot be used: {e.Message}", FieldReader.Join(itemPath, "pattern"), pattern.Location,
                    "write a .NET regular expression without lookarounds, backreferences or atomic groups (patterns run in linear time)"));
            }
        }

        if (actions.Count == 0 && custom.Count == 0)
        {
            context.Warning(GatewayDiagnosticCodes.BadPolicy, node, path, "the PII policy names no category and no custom pattern, so it does nothing",
                $"add categories such as 'paymentCard: mask' ({string.Join(", ", PiiCategoryNames.ConfigurationWords.Keys)})");
        }

        return new PiiPolicy
        {
            Actions = actions,
            NationalIdCountries = countries.Count > 0 ? countries : PiiScanner.NationalIdCountries,
            CustomPatterns = custom,
            RestoreInResponse = context.Bool(node, "restore", path) ?? false,
            ScanResponsesForSecrets = context.Bool(node, "scanAnswers", path) ?? true,
        };
    }

    private static GuardrailPolicy? ReadGuardrail(FieldReader context, InputNode policy, string policyPath)
    {
        var node = context.Mapping(policy, "guardrail", policyPath);
        if (node is null)
        {
            return null;
        }

        var path = FieldReader.Join(policyPath, "guardrail");
        context.CheckKeys(node, path, GuardrailKeys);
        var id = context.String(node, "id", path, required: true, fix: "add 'id: <guardrail id or ARN>' (Bedrock console → Guardrails)");
        var version = context.String(node, "version", path, required: true, fix: "add 'version: \"1\"' (a published version number, or DRAFT)");
        if (version is not null && !(version.Value == "DRAFT" || (int.TryParse(version.Value, out var v) && v is >= 1 and <= 99_999_999)))
        {
            context.Error(GatewayDiagnosticCodes.BadPolicy, node.Get("version")!, FieldReader.Join(path, "version"), $"'{version.Value}' is not a guardrail version", "write a version number such as \"1\", or DRAFT");
            return null;
        }

        return id is null || version is null ? null : new GuardrailPolicy(id.Value, version.Value, context.Bool(node, "trace", path) ?? false);
    }

    private static RoutingPolicy ReadRouting(FieldReader context, InputNode policy, string policyPath, Dictionary<string, string> canonical)
    {
        var modelIds = canonical.Keys;
        var node = context.Mapping(policy, "routing", policyPath);
        if (node is null)
        {
            return RoutingPolicy.None;
        }

        var path = FieldReader.Join(policyPath, "routing");
        context.CheckKeys(node, path, RoutingKeys);
        var aliases = new List<RoutedAlias>();
        if (context.Mapping(node, "aliases", path) is { } aliasesNode)
        {
            foreach (var (k, name, v, aliasPath) in context.NamedMappings(aliasesNode, FieldReader.Join(path, "aliases"), "write 'rules:' and 'default:' under the alias"))
            {
                context.CheckKeys(v, aliasPath, AliasKeys);
                var rules = new List<RoutingRule>();
                foreach (var (item, itemPath) in context.MappingItems(v, "rules", aliasPath))
                {
                    context.CheckKeys(item, itemPath, RuleKeys);
                    var when = context.Mapping(item, "when", itemPath, required: true, fix: "add 'when: { maxInputTokens: 2000, tools: false }'");
                    var model = Model(context, item, "model", itemPath, modelIds);
                    if (when is null || model is null)
                    {
                        continue;
                    }

                    var whenPath = FieldReader.Join(itemPath, "when");
                    context.CheckKeys(when, whenPath, WhenKeys);
                    rules.Add(new RoutingRule(new RoutingCondition(
                        context.Int(when, "minInputTokens", whenPath, 0, int.MaxValue),
                        context.Int(when, "maxInputTokens", whenPath, 1, int.MaxValue),
                        context.Bool(when, "tools", whenPath),
                        context.Bool(when, "thinking", whenPath)), model));
                }

                if (Model(context, v, "default", aliasPath, modelIds, required: true) is { } fallback)
                {
                    if (modelIds.Contains(name))
                    {
                        context.Error(GatewayDiagnosticCodes.BadPolicy, k, aliasPath, $"'{name}' is already a model id; a routed alias would hide it", "give the alias a name of its own, e.g. 'auto'");
                    }

                    aliases.Add(new RoutedAlias(name, rules, fallback));
                }
            }
        }

        var rewrites = new List<ModelRewrite>();
        if (context.Mapping(node, "rewrites", path) is { } rewritesNode)
        {
            foreach (var (k, v) in rewritesNode.Entries)
            {
                var from = k.Scalar ?? string.Empty;
                var rewritePath = FieldReader.Join(FieldReader.Join(path, "rewrites"), from);
                var to = context.Scalar(v, rewritePath);
                if (to is null)
                {
                    continue;
                }

                if (!CheckModel(context, k, rewritePath, from, modelIds))
                {
                    continue;
                }

                if (to.Value == "refuse")
                {
                    rewrites.Add(new ModelRewrite(canonical[from], null));
                }
                else if (CheckModel(context, v, rewritePath, to.Value, modelIds))
                {
                    rewrites.Add(new ModelRewrite(canonical[from], canonical[to.Value]));
                }
            }
        }

        return new RoutingPolicy(aliases, rewrites);
    }

    private static string? Model(FieldReader context, InputNode parent, string key, string path, IReadOnlyCollection<string> modelIds, bool required = true)
    {
        var value = context.String(parent, key, path, required, fix: $"add '{key}: <a model id from models:>'");
        return value is not null && CheckModel(context, parent.Get(key)!, FieldReader.Join(path, key), value.Value, modelIds) ? value.Value : null;
    }

    private static bool CheckModel(FieldReader context, InputNode node, string path, string model, IReadOnlyCollection<string> modelIds)
    {
        if (modelIds.Contains(model))
        {
            return true;
        }

        var suggestion = FieldReader.Suggest(model, modelIds);
        context.Error(GatewayDiagnosticCodes.BadPolicy, node, path, $"'{model}' is not a model configured under 'models:'",
            suggestion is null ? $"use one of {string.Join(", ", modelIds)}" : $"did you mean '{suggestion}'?");
        return false;
    }

    private static PiiAction Action(string word) => word switch
    {
        "block" => PiiAction.Block,
        "log-only" => PiiAction.LogOnly,
        _ => PiiAction.Mask,
    };
}
