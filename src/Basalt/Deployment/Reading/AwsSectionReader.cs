using Basalt.Aws;
using Basalt.Bedrock;
using Basalt.Diagnostics;
using Basalt.Diagnostics.Reading;

namespace Basalt.Deployment.Reading;

/// <summary>
/// Reads <c>aws:</c>: region and partition, inference-profile scope and geography, account, allowed regions.
/// </summary>
internal static class AwsSectionReader
{
    public static AwsSettings? Read(FieldReader context, InputNode aws)
    {
        context.CheckKeys(aws, "aws", DeploymentSchema.AwsKeys);
        var region = context.String(aws, "region", "aws", required: true, fix: "add 'region: us-west-2' (the region where Claude is enabled in Bedrock)");
        var partition = region is null ? null : AwsPartition.ForRegion(region.Value);
        if (region is not null && partition is null)
        {
            context.Error(DeploymentDiagnosticCodes.InvalidValue, aws.Get("region")!, "aws.region", $"'{region.Value}' is not an AWS region name; expected e.g. us-west-2 or us-gov-west-1", "use the region where Claude models are enabled in Bedrock");
        }

        var scopeText = context.Choice(aws, "scope", "aws", DeploymentSchema.Scopes, "cross-region");
        var scope = scopeText switch
        {
            "regional" => InferenceProfileScope.Regional,
            "global" => InferenceProfileScope.Global,
            _ => InferenceProfileScope.CrossRegion,
        };
        var geography = context.Choice(aws, "geography", "aws", BedrockDestinationRegions.Geographies);
        var accountId = context.String(aws, "accountId", "aws");
        if (accountId is not null && !DeploymentPatterns.Account().IsMatch(accountId.Value))
        {
            context.Error(DeploymentDiagnosticCodes.InvalidValue, aws.Get("accountId")!, "aws.accountId", "expected a 12-digit AWS account id", "write the account id in quotes, e.g. accountId: \"123456789012\"");
        }

        var baseUrl = context.String(aws, "baseUrl", "aws");
        ValueChecks.CheckHttps(context, aws, "baseUrl", "aws", baseUrl);
        var tier = context.Choice(aws, "serviceTier", "aws", ["flex", "priority"]);
        var allowedList = context.StringList(aws, "allowedRegions", "aws");
        if (region is null || partition is null)
        {
            return null;
        }

        if (scope == InferenceProfileScope.CrossRegion)
        {
            geography ??= BedrockModelId.SuggestedGeoPrefix(region.Value);
            if (geography is null)
            {
                context.Error(DeploymentDiagnosticCodes.MissingKey, aws.Get("region")!, "aws.geography",
                    $"cannot tell which cross-region inference profiles serve '{region.Value}'", $"set 'geography:' to one of {string.Join(", ", BedrockDestinationRegions.Geographies)}, or use 'scope: regional'");
                return null;
            }

            if (!BedrockDestinationRegions.IsUsable(geography, region.Value))
            {
                context.Error(DeploymentDiagnosticCodes.ModelScopeMismatch, aws.Get("geography") ?? aws.Get("region")!, "aws.geography",
                    $"'{geography}.' inference profiles cannot be called from {region.Value}", $"use the geography of {region.Value} ({BedrockModelId.SuggestedGeoPrefix(region.Value) ?? "none"}) or another region");
                return null;
            }
        }
        else if (scope == InferenceProfileScope.Global && !BedrockDestinationRegions.IsUsable("global", region.Value))
        {
            context.Error(DeploymentDiagnosticCodes.ModelScopeMismatch, aws.Get("scope")!, "aws.scope",
                $"global inference profiles are offered in the commercial partition only, not in {partition.Id}", "use 'scope: cross-region' (GovCloud uses us-gov. profiles) or 'scope: regional'");
            return null;
        }

        IReadOnlyList<string> allowed;
        if (allowedList is null)
        {
            allowed = BedrockDestinationRegions.Default(region.Value, scope, scope == InferenceProfileScope.CrossRegion ? geography : null);
        }
        else
        {
            var set = new SortedSet<string>(StringComparer.Ordinal) { region.Value };
            foreach (var item in allowedList)
            {
                if (!ReferenceEquals(AwsPartition.ForRegion(item.Value), partition) && AwsPartition.ForRegion(item.Value)?.Id != partition.Id)
                {
                    context.Diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DeploymentDiagnosticCodes.InvalidValue,
                        $"'{item.Value}' is not a region of partition {partition.Id} (the partition of {region.Value})", "aws.allowedRegions", item.Location,
                        "list regions of the same partition as aws.region"));
                    continue;
                }

                set.Add(item.Value);
            }

            allowed = set.ToArray();
        }

        return new AwsSettings(region, partition, scope, scope == InferenceProfileScope.CrossRegion ? geography : null, accountId, allowed, baseUrl,
            tier is null ? null : context.String(aws, "serviceTier", "aws"));
    }
}
