using Basalt.Bedrock;
using Basalt.Bedrock.Models;
using Basalt.ManagedConfig;
using Basalt.Diagnostics;
using Basalt.Diagnostics.Reading;

namespace Basalt.Deployment.Reading;

/// <summary>
/// Reads one group: the top-level sections with the group's overrides laid over them (README, "basalt deploy").
/// Each section has its own reader; this one ties them together and checks the rules that span sections.
/// </summary>
internal static class GroupSectionReader
{
    public static DeploymentGroup? Read(FieldReader context, ModelCatalogue catalogue, string deploymentName, string groupName, InputNode node,
        InputNode? modelsNode, InputNode? modelSelection, string? description)
    {
        var errorsBefore = context.Diagnostics.Count(d => d.IsError);
        var organization = OrganizationSectionReader.Read(context, node, deploymentName);
        var platforms = PlatformsSectionReader.Read(context, node);
        var authNode = context.Mapping(node, "auth", string.Empty, required: true, fix: $"add 'auth:' with 'approach:' set to one of {string.Join(", ", DeploymentSchema.Approaches)}");
        var approachText = authNode is null ? null : context.Choice(authNode, "approach", "auth", DeploymentSchema.Approaches, required: true);
        var providerText = context.Choice(node, "provider", string.Empty, ["bedrock", "gateway"], approachText == "gateway" ? "gateway" : "bedrock");
        var provider = providerText == "gateway" ? InferenceProvider.Gateway : InferenceProvider.Bedrock;
        if (approachText is not null && (approachText == "gateway") != (provider == InferenceProvider.Gateway))
        {
            context.Error(DeploymentDiagnosticCodes.ConflictingSettings, node.Get("provider") ?? authNode!.Get("approach")!, "provider",
                $"provider '{providerText}' does not match auth approach '{approachText}'; a gateway provider needs the 'gateway' approach and the other approaches need 'bedrock'",
                "set 'provider: gateway' with 'auth.approach: gateway', or 'provider: bedrock' with a Bedrock approach");
        }

        var claudeCode = ClaudeCodeSectionReader.Read(context, node);
        var awsRequired = provider == InferenceProvider.Bedrock || (claudeCode.Enabled && claudeCode.GatewayMode == GatewayClientMode.Bedrock);
        var awsNode = context.Mapping(node, "aws", string.Empty, required: awsRequired,
            fix: provider == InferenceProvider.Bedrock ? "add 'aws:' with at least 'region:'" : "add 'aws: { region: ... }' (Claude Code needs AWS_REGION in Bedrock mode) or set 'claudeCode.gatewayMode: anthropic'");
        var aws = awsNode is null ? null : AwsSectionReader.Read(context, awsNode);
        var auth = authNode is null || approachText is null ? null : AuthSectionReader.Read(context, authNode, approachText, aws, deploymentName);
        var models = ModelsSectionReader.Read(context, catalogue, modelsNode, modelSelection, provider, aws, groupName);
        if (auth is not null && provider == InferenceProvider.Bedrock && models.Count == 0
            && auth.Approach is AuthApproach.AwsSignIn or AuthApproach.NamedProfile)
        {
            context.Error(DeploymentDiagnosticCodes.MissingKey, modelSelection ?? modelsNode ?? node, modelSelection is null ? "models" : $"groups.{groupName}.models",
                "no models for this group; in-app AWS sign-in and named profiles do not discover models, so the list is required (cowork3p-reference §7.3)",
                "add at least one model under 'models:'");
        }

        var policy = ConfigSettingReader.Read(context, context.Mapping(node, "policy", string.Empty), "policy");
        var telemetry = ConfigSettingReader.Read(context, context.Mapping(node, "telemetry", string.Empty), "telemetry");
        var duplicated = policy.Select(p => p.Key).Intersect(telemetry.Select(t => t.Key), StringComparer.Ordinal).ToList();
        foreach (var key in duplicated)
        {
            var setting = telemetry.First(t => t.Key == key);
            context.Diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DeploymentDiagnosticCodes.ConflictingSettings,
                $"'{key}' is set in both 'policy' and 'telemetry'", $"telemetry.{key}", setting.Location, "keep it in one section"));
        }

        if (auth is null || context.Diagnostics.Count(d => d.IsError) > errorsBefore)
        {
            return null;
        }

        return new DeploymentGroup(groupName, description, provider, platforms, aws, auth, models, policy, telemetry, claudeCode, organization, node.Location)
        {
            ModelCatalogue = catalogue,
        };
    }
}
