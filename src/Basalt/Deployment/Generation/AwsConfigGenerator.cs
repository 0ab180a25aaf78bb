using System.Text;
using Basalt.Credentials.Cli;
using Basalt.Deployment.Planning;

namespace Basalt.Deployment.Generation;

/// <summary>
/// The <c>~/.aws/config</c> IT pushes to devices (seed 000, "Named profile"): an IAM Identity Center profile with
/// its <c>[sso-session]</c> for in-app sign-in (so Claude Code and the AWS CLI share one sign-in) and for named
/// profiles, or a <c>credential_process</c> profile that runs <c>basalt-credential process</c>. Nothing in it is
/// secret. Written per platform because the helper path differs.
/// </summary>
public sealed class AwsConfigGenerator : IArtifactGenerator
{
    public string Name => "aws-config";

    public void Generate(ArtifactContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var group in context.Plan.Groups)
        {
            foreach (var platform in group.Group.Platforms)
            {
                if (Build(group, platform) is { } text)
                {
                    context.Add($"{ArtifactContext.Folder(group, platform)}/aws/config", text);
                }
            }
        }
    }

    internal static string? Build(GroupPlan plan, DeploymentPlatform platform)
    {
        var group = plan.Group;
        var auth = group.Auth;
        var region = group.Aws?.Region.Value;
        var text = new StringBuilder();
        switch (auth.Approach)
        {
            case AuthApproach.AwsSignIn when group.ClaudeCode.Enabled:
                // Claude Desktop signs in in-app; the profile exists only so Claude Code and the AWS CLI can share a sign-in.
                SsoProfile(text, auth.Sso!.ProfileName, auth.Sso, region);
                break;
            case AuthApproach.NamedProfile when auth.Profile!.Sso is not null:
                SsoProfile(text, auth.Profile.Name.Value, auth.Profile.Sso, region);
                break;
            case AuthApproach.CredentialHelper:
                var helper = auth.Helper!;
                text.Append("[profile ").Append(helper.ProfileName).Append("]\n");
                text.Append("credential_process = ").Append(CommandLine.Build(platform, helper.InstallPaths[platform], CredentialVerbNames.Process, "--profile", helper.ProfileName)).Append('\n');
                Region(text, region);
                break;
            default:
                return null;
        }

        return text.ToString();
    }

    private static void SsoProfile(StringBuilder text, string profile, SsoSettings sso, string? region)
    {
        text.Append("[profile ").Append(profile).Append("]\n");
        text.Append("sso_session = ").Append(sso.SessionName).Append('\n');
        text.Append("sso_account_id = ").Append(sso.AccountId.Value).Append('\n');
        text.Append("sso_role_name = ").Append(sso.RoleName.Value).Append('\n');
        Region(text, region);
        text.Append('\n');
        text.Append("[sso-session ").Append(sso.SessionName).Append("]\n");
        text.Append("sso_start_url = ").Append(sso.StartUrl.Value).Append('\n');
        text.Append("sso_region = ").Append(sso.Region.Value).Append('\n');
        text.Append("sso_registration_scopes = sso:account:access\n");
    }

    private static void Region(StringBuilder text, string? region)
    {
        if (region is not null)
        {
            text.Append("region = ").Append(region).Append('\n');
        }
    }
}
