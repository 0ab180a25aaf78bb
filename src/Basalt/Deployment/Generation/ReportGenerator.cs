using Basalt.Diagnostics.Reading;
using System.Text;
using Basalt.Deployment.Planning;
using Basalt.ManagedConfig;

namespace Basalt.Deployment.Generation;

/// <summary>
/// <c>report.txt</c>: per group what devices get (provider, approach, credential kind, region and scope, models,
/// every managed key with secrets redacted), the validation findings per platform, the files written and what
/// IT still has to do in AWS. Runs after the other generators so it can list their files.
/// </summary>
public sealed class ReportGenerator : IArtifactGenerator
{
    public const string RelativePath = "report.txt";

    public string Name => "report";

    public void Generate(ArtifactContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var plan = context.Plan;
        var text = new StringBuilder();
        text.Append("Basalt deployment report: ").Append(plan.File.Name).Append('\n');
        text.Append("Source: ").Append(plan.File.Path.Replace('\\', '/')).Append('\n');
        text.Append("Organization: ").Append(plan.File.Organization.Name).Append('\n');
        text.Append("Groups: ").Append(string.Join(", ", plan.Groups.Select(g => g.Group.Name))).Append('\n');
        foreach (var group in plan.Groups)
        {
            Group(text, group, context);
        }

        var shared = context.Artifacts.Where(a => !plan.Groups.Any(g => a.RelativePath.StartsWith(g.Group.Name + "/", StringComparison.Ordinal))).ToList();
        if (shared.Count > 0)
        {
            text.Append("\n== Shared files ==\n");
            foreach (var artifact in shared.OrderBy(a => a.RelativePath, StringComparer.Ordinal))
            {
                text.Append("  ").Append(artifact).Append('\n');
            }
        }

        if (context.Diagnostics.Count > 0)
        {
            text.Append("\n== Generator findings ==\n");
            foreach (var d in context.Diagnostics)
            {
                text.Append("  ").Append(d).Append('\n');
            }
        }

        context.Add(RelativePath, Redact(text.ToString(), plan));
    }

    private static void Group(StringBuilder text, GroupPlan plan, ArtifactContext context)
    {
        var group = plan.Group;
        var auth = group.Auth;
        text.Append("\n== Group ").Append(group.Name).Append(" ==\n");
        if (group.Description is not null)
        {
            text.Append(group.Description).Append('\n');
        }

        text.Append("Provider: ").Append(group.Provider.ToWire()).Append('\n');
        text.Append("Authentication: ").Append(ApproachName(auth.Approach)).Append(" (inferenceCredentialKind ").Append(auth.CredentialKind).Append(")\n");
        if (group.Aws is { } aws)
        {
            text.Append("Region: ").Append(aws.Region.Value).Append(" (partition ").Append(aws.Partition.Id).Append(")\n");
            text.Append("Inference-profile scope: ").Append(ScopeName(aws.Scope)).Append(aws.Geography is null ? string.Empty : $" ({aws.Geography}.)").Append('\n');
            text.Append("Allowed regions: ").Append(string.Join(", ", aws.AllowedRegions)).Append('\n');
        }

        text.Append("Platforms: ").Append(string.Join(", ", group.Platforms.Select(p => p.ToName()))).Append('\n');
        text.Append("Claude Code settings: ").Append(group.ClaudeCode.Enabled ? "yes" : "no").Append('\n');
        text.Append("Models:\n");
        if (group.Models.Count == 0)
        {
            text.Append("  (none listed; the app discovers models)\n");
        }

        for (var i = 0; i < group.Models.Count; i++)
        {
            var m = group.Models[i];
            text.Append("  ").Append(i + 1).Append(". ").Append(m.Alias).Append(": ").Append(m.ResolvedId);
            if (m.Label is not null)
            {
                text.Append(" \"").Append(m.Label).Append('"');
            }

            text.Append(i == 0 ? " (default)\n" : "\n");
        }

        var first = group.Platforms[0];
        var baseline = plan.EntriesFor(first);
        foreach (var platform in group.Platforms.Skip(1))
        {
            var differences = plan.EntriesFor(platform).Where(e => !baseline.Any(b => b.Key == e.Key && b.Value == e.Value)).ToList();
            if (differences.Count > 0)
            {
                text.Append("Differs on ").Append(platform.ToName()).Append(" from ").Append(first.ToName()).Append(":\n");
                foreach (var entry in differences)
                {
                    text.Append("  ").Append(Show(entry)).Append('\n');
                }
            }
        }

        var validations = context.Validations.Where(v => v.Group == group.Name).ToList();
        foreach (var validation in validations.Skip(1))
        {
            text.Append("Validation on ").Append(validation.Platform.ToName()).Append(": ");
            var extra = validation.Diagnostics.Where(d => !validations[0].Diagnostics.Contains(d)).ToList();
            text.Append(extra.Count == 0 ? $"same findings as {first.ToName()}\n" : $"{extra.Count} more finding(s)\n");
            foreach (var d in extra)
            {
                text.Append("  ").Append(d).Append('\n');
            }
        }

        // What the app would make of the group's profile (h1's Managed Configuration Report), indented.
        text.Append("What the app reads on ").Append(first.ToName()).Append(":\n");
        foreach (var line in ConfigReport.Create(validations[0].Result).ToText().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'))
        {
            text.Append("  | ").Append(line).Append('\n');
        }

        text.Append("Files:\n");
        foreach (var artifact in context.Artifacts.Where(a => a.RelativePath.StartsWith(group.Name + "/", StringComparison.Ordinal)).OrderBy(a => a.RelativePath, StringComparer.Ordinal))
        {
            text.Append("  ").Append(artifact).Append('\n');
        }

        text.Append("Next steps:\n");
        foreach (var step in NextSteps(group, IdentityCenterSignIn(context.Plan.File)))
        {
            text.Append("  - ").Append(step).Append('\n');
        }
    }

    /// <summary>
    /// Safety net: whatever a section printed, no resolved secret survives into the report. Values that came from
    /// a secret reference may sit in keys the catalogue does not call secret, so redact by value as well.
    /// </summary>
    internal static string Redact(string text, DeploymentPlan plan)
    {
        var secrets = plan.Groups.SelectMany(g => g.Entries.Values.SelectMany(e => e)).Where(e => e.IsSecret && e.Value.Length >= 4)
            .Select(e => e.Value).Concat(plan.Groups.SelectMany(g => g.Group.ClaudeCode.Env).Where(e => e.Value.IsSecret && e.Value.Value.Length >= 4).Select(e => e.Value.Value))
            .Distinct(StringComparer.Ordinal).OrderByDescending(v => v.Length);
        foreach (var secret in secrets)
        {
            text = text.Replace(secret, FieldValue.Redacted, StringComparison.Ordinal);
        }

        return text;
    }

    private static string Show(PlannedEntry entry)
        => entry.IsSecret ? $"{entry.Key} = {FieldValue.Redacted}" : $"{entry.Key} = {entry.Value}";

    /// <summary>"startUrl, region" when Basalt's gateway signs people in through IAM Identity Center; null otherwise.</summary>
    private static string? IdentityCenterSignIn(DeploymentFile file)
    {
#if NET10_0_OR_GREATER
        return file.Gateway?.Identity.OAuth?.IdentityCenter is { } idc ? $"{idc.StartUrl}, {idc.Region}" : null;
#else
        return null;
#endif
    }

    private static IEnumerable<string> NextSteps(DeploymentGroup group, string? identityCenter)
    {
        var region = group.Aws?.Region.Value ?? "your region";
        if (group.Provider == InferenceProvider.Bedrock)
        {
            yield return $"Enable the listed Claude models under Bedrock model access in {region} (access is granted per region).";
        }

        switch (group.Auth.Approach)
        {
            case AuthApproach.BearerToken:
                yield return "Allow bedrock:CallWithBearerToken for the API key's IAM principal (iam/permission-set-policy.json has it); rotate the key by re-running generate.";
                yield return "The MDM profiles and Claude Code settings of this group contain the key: they are written 0600; distribute them only through MDM.";
                break;
            case AuthApproach.AwsSignIn:
                yield return $"Create the IAM Identity Center permission set '{group.Auth.Sso!.RoleName.Value}' with iam/permission-set-policy.json, session duration 8-12 hours, and assign this group's users.";
                if (group.ClaudeCode.Enabled)
                {
                    yield return "For Claude Code, install AWS CLI v2 and push aws/config to ~/.aws/config: Claude Code signs in with 'aws sso login' (awsAuthRefresh).";
                }
                break;
            case AuthApproach.NamedProfile:
                yield return "Install AWS CLI v2 on the devices" + (group.Auth.Profile!.Sso is null ? " and make sure the profile exists in their AWS config." : " and push aws/config to ~/.aws/config (%USERPROFILE%\\.aws\\config on Windows).");
                if (group.Auth.Profile.Sso is { } sso)
                {
                    yield return $"Create the IAM Identity Center permission set '{sso.RoleName.Value}' with iam/permission-set-policy.json and assign this group's users.";
                }

                break;
            case AuthApproach.CredentialHelper:
                var helper = group.Auth.Helper!;
                yield return $"Install basalt-credential at {string.Join(", ", group.Platforms.Select(p => $"{helper.InstallPaths[p]} ({p.ToName()})"))} and push aws/config.";
                if (helper.Source == HelperSource.Oidc)
                {
                    yield return $"Deploy cloudformation/oidc-federation.yaml in account {group.Aws?.AccountId?.Value ?? "(aws.accountId)"}; it creates role '{helper.Oidc!.RoleName}'.";
                }
                else
                {
                    yield return $"Create the IAM Identity Center permission set '{helper.Sso!.RoleName.Value}' with iam/permission-set-policy.json and assign this group's users.";
                }

                break;
            case AuthApproach.Gateway when group.Auth.Gateway!.IsBasalt:
                yield return $"Run Basalt's gateway at {group.Auth.Gateway.BaseUrl.Value} with gateway/gateway.yaml ('basalt gateway serve --config gateway.yaml'); 'basalt gateway check' probes its upstreams.";
                if (group.Auth.Gateway.GatewaySignIn)
                {
                    yield return "Devices sign in to the gateway itself (device grant): it must publish /.well-known/oauth-authorization-server with device_authorization_endpoint (cowork3p-reference §6.3).";
                    if (identityCenter is not null)
                    {
                        yield return $"People prove who they are through IAM Identity Center ({identityCenter}); the gateway registers itself there at the first sign-in. Give this group's users a permission set that gateway.identity.aws maps to '{group.Name}'.";
                    }
                }

                break;
            case AuthApproach.Gateway:
                yield return $"Make sure the gateway at {group.Auth.Gateway!.BaseUrl.Value} serves the listed model ids and accepts the configured credential.";
                break;
        }
    }

    private static string ApproachName(AuthApproach approach) => approach switch
    {
        AuthApproach.BearerToken => "bearer token",
        AuthApproach.AwsSignIn => "in-app AWS sign-in (IAM Identity Center)",
        AuthApproach.NamedProfile => "named AWS profile",
        AuthApproach.CredentialHelper => "credential helper (basalt-credential)",
        _ => "LLM gateway",
    };

    private static string ScopeName(InferenceProfileScope scope) => scope switch
    {
        InferenceProfileScope.Regional => "regional",
        InferenceProfileScope.Global => "global",
        _ => "cross-region",
    };
}
