using Basalt.Bedrock;
using Basalt.Bedrock.Models;
using Basalt.ManagedConfig;
using Basalt.Diagnostics;
using Basalt.Diagnostics.Reading;

namespace Basalt.Deployment.Reading;

/// <summary>
/// Reads <c>models:</c> and a group's selection of them.
/// </summary>
internal static class ModelsSectionReader
{
    public static List<ModelSettings> Read(FieldReader context, ModelCatalogue catalogue, InputNode? modelsNode, InputNode? selection, InferenceProvider provider, AwsSettings? aws, string groupName)
    {
        var result = new List<ModelSettings>();
        if (modelsNode is null || modelsNode.IsNull)
        {
            if (selection is not null && !selection.IsNull)
            {
                context.Error(DeploymentDiagnosticCodes.UnknownModelAlias, selection, $"groups.{groupName}.models", "the group selects models but the top-level 'models:' section is missing", "define the models under the top-level 'models:' section");
            }

            return result;
        }

        if (modelsNode.Kind != InputNodeKind.Mapping)
        {
            context.Error(DeploymentDiagnosticCodes.WrongType, modelsNode, "models", $"expected a mapping of model aliases, found {modelsNode.Describe()}",
                $"write 'models:' followed by entries such as 'sonnet: {{ id: {DeploymentModelCheck.ExampleFoundationId} }}'");
            return result;
        }

        var aliases = modelsNode.Entries.Select(e => e.Key.Scalar ?? string.Empty).ToList();
        List<string> chosen;
        if (selection is null || selection.IsNull)
        {
            chosen = aliases;
        }
        else
        {
            chosen = [];
            var items = context.StringList(InputNode.CreateMapping([new(InputNode.CreateScalar("models", true, selection.Location), selection)], selection.Location), "models", $"groups.{groupName}") ?? [];
            foreach (var item in items)
            {
                if (!aliases.Contains(item.Value, StringComparer.Ordinal))
                {
                    var suggestion = FieldReader.Suggest(item.Value, aliases);
                    context.Diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DeploymentDiagnosticCodes.UnknownModelAlias,
                        $"no model '{item.Value}' under the top-level 'models:'; expected one of: {string.Join(", ", aliases)}", $"groups.{groupName}.models", item.Location,
                        suggestion is null ? "define it under 'models:' or remove it here" : $"did you mean '{suggestion}'?"));
                }
                else if (!chosen.Contains(item.Value, StringComparer.Ordinal))
                {
                    chosen.Add(item.Value);
                }
            }
        }

        foreach (var alias in chosen)
        {
            if (ReadModel(context, catalogue, alias, modelsNode.Get(alias)!, provider, aws) is { } model)
            {
                result.Add(model);
            }
        }

        return result;
    }

    private static ModelSettings? ReadModel(FieldReader context, ModelCatalogue catalogue, string alias, InputNode node, InferenceProvider provider, AwsSettings? aws)
    {
        var path = $"models.{alias}";
        FieldValue? id;
        InputNode mapping;
        if (node.Kind == InputNodeKind.Scalar)
        {
            id = context.Scalar(node, path);
            mapping = InputNode.CreateMapping([], node.Location);
        }
        else if (node.Kind == InputNodeKind.Mapping)
        {
            context.CheckKeys(node, path, DeploymentSchema.ModelKeys);
            id = context.String(node, "id", path, required: true, fix: $"add 'id: {DeploymentModelCheck.ExampleFoundationId}' (a Bedrock model id; 'basalt models list' shows them)");
            mapping = node;
        }
        else
        {
            context.Error(DeploymentDiagnosticCodes.WrongType, node, path, $"expected a model id or a mapping with 'id:', found {node.Describe()}", "write 'id:', 'label:' and 'tier:' under the alias");
            return null;
        }

        var label = context.String(mapping, "label", path)?.Value;
        var tier = context.Choice(mapping, "tier", path, DeploymentSchema.Tiers);
        var supports1m = context.Bool(mapping, "supports1m", path);
        var prefer1m = context.Bool(mapping, "prefer1m", path);
        var familyDefault = context.Bool(mapping, "familyDefault", path);
        var scopeText = context.Choice(mapping, "scope", path, DeploymentSchema.Scopes);
        if (prefer1m == true && supports1m != true)
        {
            context.Error(DeploymentDiagnosticCodes.ConflictingSettings, mapping.Get("prefer1m")!, $"{path}.prefer1m", "prefer1m has no effect without supports1m (cowork3p-reference §7.1)", "add 'supports1m: true' or remove 'prefer1m'");
        }

        if (id is null)
        {
            return null;
        }

        var idNode = node.Kind == InputNodeKind.Scalar ? node : node.Get("id")!;
        var resolved = id.Value;
        if (provider == InferenceProvider.Bedrock && aws is not null)
        {
            var scope = scopeText switch
            {
                "regional" => InferenceProfileScope.Regional,
                "cross-region" => InferenceProfileScope.CrossRegion,
                "global" => InferenceProfileScope.Global,
                _ => aws.Scope,
            };
            var geography = aws.Geography ?? BedrockModelId.SuggestedGeoPrefix(aws.Region.Value);
            resolved = ModelIdResolver.Resolve(context, idNode, $"{path}.id", DeploymentModelCheck.Expand(catalogue, id.Value), scope, geography, aws, label) ?? string.Empty;
            if (resolved.Length == 0)
            {
                return null;
            }

            DeploymentModelCheck.Check(context, catalogue, idNode, $"{path}.id", resolved, aws, supports1m);
        }

        return new ModelSettings(alias, id.Value, resolved, idNode.Location, label, tier, supports1m, prefer1m, familyDefault)
        {
            Definition = catalogue.Find(resolved) ?? catalogue.Find(id.Value),
        };
    }
}
