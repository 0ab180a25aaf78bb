using Basalt.Bedrock;
using Basalt.Diagnostics;
using Basalt.Diagnostics.Reading;

namespace Basalt.Deployment.Reading;

/// <summary>
/// Applies the inference-profile scope to a model id and checks it fits the region and partition.
/// </summary>
internal static class ModelIdResolver
{
    /// <summary>Applies the inference-profile scope to a foundation id, or checks that a full id or ARN fits the scope, region and partition.</summary>
    public static string? Resolve(FieldReader context, InputNode node, string path, string id, InferenceProfileScope scope, string? geography, AwsSettings aws, string? label)
    {
        var region = aws.Region.Value;
        if (!BedrockModelId.TryParse(id, out var parsed))
        {
            context.Error(DeploymentDiagnosticCodes.InvalidValue, node, path, $"'{id}' is not a Bedrock model id; expected a foundation-model id such as {DeploymentModelCheck.ExampleFoundationId}, an inference-profile id or an ARN",
                BedrockModelId.LooksLikeUnknownGeoPrefix(id) ? $"use one of the published prefixes ({string.Join(", ", BedrockModelId.GeoPrefixes.Keys)}) or the bare foundation id" : "copy the model id from the Bedrock console's model catalog");
            return null;
        }

        string resolved;
        switch (parsed.Kind)
        {
            case BedrockModelIdKind.FoundationModel:
                if (scope == InferenceProfileScope.CrossRegion && geography is null)
                {
                    context.Error(DeploymentDiagnosticCodes.ModelScopeMismatch, node, path, $"no cross-region geography for {region}", "set 'aws.geography' or use 'scope: regional'");
                    return null;
                }

                resolved = scope switch
                {
                    InferenceProfileScope.Regional => id,
                    InferenceProfileScope.Global => $"global.{id}",
                    _ => $"{geography}.{id}",
                };
                break;
            case BedrockModelIdKind.SystemInferenceProfile:
                var prefix = parsed.GeoPrefix!;
                var expected = scope switch
                {
                    InferenceProfileScope.Regional => "a bare foundation-model id (regional scope)",
                    InferenceProfileScope.Global => "a global. profile (global scope)",
                    _ => $"a {geography}. profile (cross-region scope)",
                };
                var fits = scope switch
                {
                    InferenceProfileScope.Regional => false,
                    InferenceProfileScope.Global => prefix == "global",
                    _ => prefix != "global",
                };
                if (!fits)
                {
                    context.Error(DeploymentDiagnosticCodes.ModelScopeMismatch, node, path, $"'{id}' is a {prefix}. inference profile; the scope asks for {expected}",
                        $"write the bare foundation id '{parsed.FoundationModelId}' and let the scope add the prefix, or set 'scope:' on this model");
                    return null;
                }

                resolved = id;
                break;
            default:
                if (!string.Equals(parsed.Partition, aws.Partition.Id, StringComparison.Ordinal))
                {
                    context.Error(DeploymentDiagnosticCodes.ModelPartitionMismatch, node, path, $"the ARN is in partition {parsed.Partition}, but {region} is in {aws.Partition.Id}",
                        $"use an ARN that starts with arn:{aws.Partition.Id}:bedrock:{region}:");
                    return null;
                }

                if (parsed.NeedsLabel && label is null)
                {
                    context.Warning(DeploymentDiagnosticCodes.MissingKey, node, path, "this ARN does not show the model; the picker would show the raw ARN", "add 'label:' with a readable name");
                }

                resolved = id;
                break;
        }

        if (BedrockModelId.TryParse(resolved, out var final) && !final.IsUsableFrom(region))
        {
            context.Error(DeploymentDiagnosticCodes.ModelScopeMismatch, node, path, $"'{resolved}' cannot be invoked from {region}",
                final.IsArn ? $"use a resource in {region}" : $"use a {BedrockModelId.SuggestedGeoPrefix(region) ?? "regional"} profile, or change 'aws.region'");
            return null;
        }

        if (!parsed.IsAnthropic && !parsed.NeedsLabel)
        {
            context.Warning(DeploymentDiagnosticCodes.InvalidValue, node, path, $"'{id}' is not a Claude model; Claude Desktop only lists Claude models", "use an anthropic.claude-* model id");
        }

        return resolved;
    }
}
