using Basalt.Aws;
using Basalt.Diagnostics;
using Basalt.Diagnostics.Reading;

namespace Basalt.Deployment.Reading;

/// <summary>
/// Reads <c>auth.sso:</c>, the IAM Identity Center settings.
/// </summary>
internal static class SsoSectionReader
{
    public static SsoSettings? Read(FieldReader context, InputNode auth, AwsSettings? aws, string deploymentName, bool required)
    {
        var sso = context.Mapping(auth, "sso", "auth", required, "add 'sso:' with startUrl, region, accountId and roleName from the IAM Identity Center Settings page");
        if (sso is null)
        {
            return null;
        }

        context.CheckKeys(sso, "auth.sso", DeploymentSchema.SsoKeys);
        var startUrl = context.String(sso, "startUrl", "auth.sso", required: true, fix: "add 'startUrl: https://d-xxxxxxxxxx.awsapps.com/start' (the AWS access portal URL)");
        ValueChecks.CheckHttps(context, sso, "startUrl", "auth.sso", startUrl);
        var region = context.String(sso, "region", "auth.sso", required: true, fix: "add 'region:' with the IAM Identity Center home region, e.g. us-east-1");
        if (region is not null && !AwsPartition.IsValidRegion(region.Value))
        {
            context.Error(DeploymentDiagnosticCodes.InvalidValue, sso.Get("region")!, "auth.sso.region", $"'{region.Value}' is not an AWS region name", "use the Identity Center home region, e.g. us-east-1");
        }

        var accountId = context.String(sso, "accountId", "auth.sso") ?? aws?.AccountId;
        if (accountId is null)
        {
            context.Error(DeploymentDiagnosticCodes.MissingKey, sso, "auth.sso.accountId", "no account id; expected 'auth.sso.accountId' or 'aws.accountId'", "add 'accountId: \"123456789012\"' (the account where Bedrock is enabled)");
        }
        else if (!DeploymentPatterns.Account().IsMatch(accountId.Value))
        {
            context.Error(DeploymentDiagnosticCodes.InvalidValue, sso.Get("accountId") ?? sso, "auth.sso.accountId", "expected a 12-digit AWS account id", "write it in quotes, e.g. \"123456789012\"");
        }

        var role = context.String(sso, "roleName", "auth.sso", required: true, fix: "add 'roleName:' with the permission-set name, e.g. ClaudeCoworkAccess");
        var session = context.String(sso, "sessionName", "auth.sso")?.Value ?? deploymentName;
        if (!DeploymentPatterns.ProfileName().IsMatch(session))
        {
            // Without 'sessionName:' the session is the deployment's name (which may be invalid): report at the sso block.
            context.Error(DeploymentDiagnosticCodes.InvalidValue, sso.Get("sessionName") ?? sso, "auth.sso.sessionName", "expected letters, digits, '-', '_' or '.'", "use a short name such as 'corp'");
        }

        var profileName = context.String(sso, "profileName", "auth.sso");
        ValueChecks.CheckProfileName(context, sso, "auth.sso.profileName", profileName);
        return startUrl is null || region is null || accountId is null || role is null ? null
            : new SsoSettings(startUrl, region, accountId, role, session, profileName?.Value ?? deploymentName);
    }
}
