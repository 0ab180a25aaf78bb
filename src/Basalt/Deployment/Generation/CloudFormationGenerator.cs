using System.Text;
using System.Text.Json;
using Basalt.Bedrock;
using Basalt.Deployment.Planning;
using Basalt.Diagnostics;

namespace Basalt.Deployment.Generation;

/// <summary>
/// A CloudFormation template for direct IAM OIDC federation (seed 003): an IAM OIDC provider for the corporate
/// IdP, and per role a trust policy for <c>sts:AssumeRoleWithWebIdentity</c> limited to the app's client id, with
/// a Bedrock policy scoped to the group's allowed regions. ARNs use <c>${AWS::Partition}</c> and
/// <c>${AWS::AccountId}</c> so one template deploys in the commercial partition and in GovCloud. Intrinsics are
/// written in their long form (<c>Fn::Sub</c>, <c>Ref</c>) so the file is plain YAML any parser can read.
/// </summary>
public sealed class CloudFormationGenerator : IArtifactGenerator
{
    public const string RelativePath = "cloudformation/oidc-federation.yaml";

    public string Name => "cloudformation";

    public void Generate(ArtifactContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var federated = context.Plan.Groups
            .Where(g => g.Group.Auth.Helper is { Source: HelperSource.Oidc, Oidc: not null } && g.Group.Aws is not null)
            .ToList();
        if (federated.Count == 0)
        {
            return;
        }

        var roles = new List<RoleSpec>();
        foreach (var group in federated)
        {
            var spec = RoleSpec.From(group);
            var existing = roles.FirstOrDefault(r => r.RoleName == spec.RoleName);
            if (existing is null)
            {
                roles.Add(spec);
            }
            else if (!existing.SameAs(spec))
            {
                context.Report(new Diagnostic(DiagnosticSeverity.Error, DeploymentDiagnosticCodes.ConflictingSettings,
                    $"groups '{existing.Groups[0]}' and '{group.Group.Name}' use the IAM role '{spec.RoleName}' with different issuers, client ids, regions or models",
                    "auth.helper.oidc.roleName", group.Group.Auth.Location, "give each group its own 'roleName' or make their settings equal"));
            }
            else
            {
                existing.Groups.Add(group.Group.Name);
            }
        }

        context.Add(RelativePath, Build(context.Plan.File.Name, roles));
    }

    private static string Build(string deploymentName, List<RoleSpec> roles)
    {
        var issuers = roles.Select(r => (r.Issuer, r.ClientId)).Distinct().ToList();
        var text = new StringBuilder();
        text.Append("AWSTemplateFormatVersion: \"2010-09-09\"\n");
        text.Append("Description: ").Append(Q($"Basalt {deploymentName}: OIDC federation for Amazon Bedrock (IAM OIDC provider and one role per user group). Partition-aware via AWS::Partition.")).Append('\n');
        text.Append("Resources:\n");
        var providerIds = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var issuer in issuers.Select(i => i.Issuer).Distinct(StringComparer.Ordinal))
        {
            var id = providerIds.Count == 0 ? "OidcProvider" : $"OidcProvider{providerIds.Count + 1}";
            providerIds[issuer] = id;
            text.Append("  ").Append(id).Append(":\n");
            text.Append("    Type: AWS::IAM::OIDCProvider\n");
            text.Append("    Properties:\n");
            text.Append("      Url: ").Append(Q(issuer)).Append('\n');
            text.Append("      ClientIdList:\n");
            foreach (var clientId in issuers.Where(i => i.Issuer == issuer).Select(i => i.ClientId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                text.Append("        - ").Append(Q(clientId)).Append('\n');
            }
        }

        foreach (var role in roles)
        {
            text.Append("  ").Append(role.LogicalId).Append(":\n");
            text.Append("    Type: AWS::IAM::Role\n");
            text.Append("    Properties:\n");
            text.Append("      RoleName: ").Append(Q(role.RoleName)).Append('\n');
            text.Append("      Description: ").Append(Q($"Bedrock access for Basalt group(s) {string.Join(", ", role.Groups)} signed in through {role.Issuer}")).Append('\n');
            text.Append("      MaxSessionDuration: ").Append(role.MaxSessionDurationSec).Append('\n');
            text.Append("      AssumeRolePolicyDocument:\n");
            text.Append("        Version: \"2012-10-17\"\n");
            text.Append("        Statement:\n");
            text.Append("          - Sid: TrustCorporateIdp\n");
            text.Append("            Effect: Allow\n");
            text.Append("            Principal:\n");
            text.Append("              Federated:\n");
            text.Append("                Ref: ").Append(providerIds[role.Issuer]).Append('\n');
            text.Append("            Action:\n");
            text.Append("              - sts:AssumeRoleWithWebIdentity\n");
            text.Append("              - sts:TagSession\n");
            text.Append("            Condition:\n");
            text.Append("              StringEquals:\n");
            // IAM's condition key is the issuer without its scheme: "login.example.com/oauth2/default:aud".
            text.Append("                ").Append(Q($"{IssuerHostPath(role.Issuer)}:aud")).Append(": ").Append(Q(role.ClientId)).Append('\n');
            text.Append("      Policies:\n");
            text.Append("        - PolicyName: BasaltBedrockInference\n");
            text.Append("          PolicyDocument:\n");
            text.Append("            Version: \"2012-10-17\"\n");
            text.Append("            Statement:\n");
            text.Append("              - Sid: InvokeClaudeInAllowedRegions\n");
            text.Append("                Effect: Allow\n");
            text.Append("                Action:\n");
            text.Append("                  - bedrock:InvokeModel\n");
            text.Append("                  - bedrock:InvokeModelWithResponseStream\n");
            text.Append("                Resource:\n");
            foreach (var resource in role.Resources)
            {
                text.Append("                  - Fn::Sub: ").Append(Q(resource)).Append('\n');
            }

            text.Append("              - Sid: DiscoverModels\n");
            text.Append("                Effect: Allow\n");
            text.Append("                Action:\n");
            text.Append("                  - bedrock:GetInferenceProfile\n");
            text.Append("                  - bedrock:ListFoundationModels\n");
            text.Append("                  - bedrock:ListInferenceProfiles\n");
            text.Append("                Resource: \"*\"\n");
            // basalt-credential mints short-term Bedrock API keys from these credentials for Claude Desktop's
            // helper contract (bedrock-and-clients §3, §6); using such a key needs CallWithBearerToken.
            text.Append("              - Sid: UseShortTermBedrockApiKeys\n");
            text.Append("                Effect: Allow\n");
            text.Append("                Action:\n");
            text.Append("                  - bedrock:CallWithBearerToken\n");
            text.Append("                Resource: \"*\"\n");
        }

        text.Append("Outputs:\n");
        foreach (var (issuer, id) in providerIds)
        {
            text.Append("  ").Append(id).Append("Arn:\n");
            text.Append("    Description: ").Append(Q($"IAM OIDC provider for {issuer}")).Append('\n');
            text.Append("    Value:\n");
            text.Append("      Ref: ").Append(id).Append('\n');
        }

        foreach (var role in roles)
        {
            text.Append("  ").Append(role.LogicalId).Append("Arn:\n");
            text.Append("    Description: ").Append(Q($"Role ARN for basalt-credential (group(s) {string.Join(", ", role.Groups)})")).Append('\n');
            text.Append("    Value:\n");
            text.Append("      Fn::GetAtt:\n");
            text.Append("        - ").Append(role.LogicalId).Append('\n');
            text.Append("        - Arn\n");
        }

        return text.ToString();
    }

    /// <summary>A YAML double-quoted scalar; JSON string escaping is valid YAML double-quoted syntax.</summary>
    private static string Q(string value) => $"\"{JsonEncodedText.Encode(value, DeploymentJson.Encoder)}\"";

    private static string IssuerHostPath(string issuer)
    {
        var uri = new Uri(issuer);
        return (uri.Authority + uri.AbsolutePath).TrimEnd('/');
    }

    private sealed record RoleSpec(string RoleName, string Issuer, string ClientId, int MaxSessionDurationSec, IReadOnlyList<string> Resources, List<string> Groups)
    {
        public string LogicalId => "Role" + new string(RoleName.Where(char.IsAsciiLetterOrDigit).ToArray());

        public bool SameAs(RoleSpec other) => Issuer == other.Issuer && ClientId == other.ClientId
            && MaxSessionDurationSec == other.MaxSessionDurationSec && Resources.SequenceEqual(other.Resources);

        public static RoleSpec From(GroupPlan plan)
        {
            var group = plan.Group;
            var oidc = group.Auth.Helper!.Oidc!;
            var aws = group.Aws!;
            var resources = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var region in aws.AllowedRegions)
            {
                resources.Add($"arn:${{AWS::Partition}}:bedrock:{region}::foundation-model/anthropic.*");
                resources.Add($"arn:${{AWS::Partition}}:bedrock:{region}:${{AWS::AccountId}}:inference-profile/*anthropic.*");
            }

            if (aws.Scope == InferenceProfileScope.Global || group.Models.Any(m => m.ResolvedId.StartsWith("global.", StringComparison.Ordinal)))
            {
                // A global profile may run in any commercial region; IAM checks the region-less foundation-model ARN.
                resources.Add("arn:${AWS::Partition}:bedrock:::foundation-model/anthropic.*");
            }

            foreach (var model in group.Models)
            {
                if (BedrockModelId.TryParse(model.ResolvedId, out var id) && id.IsArn)
                {
                    resources.Add($"arn:${{AWS::Partition}}:bedrock:{id.Region}:${{AWS::AccountId}}:{model.ResolvedId.Split(':', 6)[5]}");
                }
            }

            return new RoleSpec(oidc.RoleName, oidc.Issuer.Value.TrimEnd('/'), oidc.ClientId.Value, oidc.MaxSessionDurationSec, resources.ToArray(), [group.Name]);
        }
    }
}
