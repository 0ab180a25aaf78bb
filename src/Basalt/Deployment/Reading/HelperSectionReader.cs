using Basalt.Diagnostics;
using Basalt.Diagnostics.Reading;

namespace Basalt.Deployment.Reading;

/// <summary>
/// Reads <c>auth.helper:</c>, the credential helper (source, install paths, OIDC federation).
/// </summary>
internal static class HelperSectionReader
{
    public static HelperSettings? Read(FieldReader context, InputNode auth, AwsSettings? aws, string deploymentName, bool required)
    {
        var helper = context.Mapping(auth, "helper", "auth", required, "add 'helper: { source: oidc, oidc: { issuer: ..., clientId: ... } }'");
        if (helper is null)
        {
            return null;
        }

        context.CheckKeys(helper, "auth.helper", DeploymentSchema.HelperKeys);
        var sourceText = context.Choice(helper, "source", "auth.helper", ["oidc", "aws-sign-in"], "oidc");
        var profile = context.String(helper, "profile", "auth.helper");
        ValueChecks.CheckProfileName(context, helper, "auth.helper.profile", profile);
        var paths = new Dictionary<DeploymentPlatform, string>(HelperSettings.DefaultInstallPaths);
        var installNode = context.Mapping(helper, "installPath", "auth.helper");
        if (installNode is not null)
        {
            context.CheckKeys(installNode, "auth.helper.installPath", DeploymentPlatformNames.All.Select(p => p.ToName()).ToArray());
            foreach (var platform in DeploymentPlatformNames.All)
            {
                var path = context.String(installNode, platform.ToName(), "auth.helper.installPath");
                if (path is null)
                {
                    continue;
                }

                var absolute = platform == DeploymentPlatform.Windows ? DeploymentPatterns.WindowsAbsolute().IsMatch(path.Value) : path.Value.StartsWith('/');
                if (!absolute)
                {
                    context.Error(DeploymentDiagnosticCodes.InvalidValue, installNode.Get(platform.ToName())!, $"auth.helper.installPath.{platform.ToName()}",
                        "expected an absolute path (the app runs the helper without a shell or working directory)", platform == DeploymentPlatform.Windows ? @"use e.g. C:\Program Files\Basalt\basalt-credential.exe" : "use e.g. /usr/local/bin/basalt-credential");
                    continue;
                }

                paths[platform] = path.Value;
            }
        }

        var ttl = context.Int(helper, "ttlSec", "auth.helper", 1, 86_400);
        var timeout = context.Int(helper, "timeoutSec", "auth.helper", 1, 600);
        OidcFederationSettings? oidc = null;
        SsoSettings? sso = null;
        var source = sourceText == "aws-sign-in" ? HelperSource.AwsSignIn : HelperSource.Oidc;
        if (source == HelperSource.Oidc)
        {
            var oidcNode = context.Mapping(helper, "oidc", "auth.helper", required: true, fix: "add 'oidc:' with 'issuer:' and 'clientId:' of your IdP's app registration");
            if (oidcNode is not null)
            {
                context.CheckKeys(oidcNode, "auth.helper.oidc", DeploymentSchema.OidcKeys);
                var issuer = context.String(oidcNode, "issuer", "auth.helper.oidc", required: true, fix: "add 'issuer: https://login.example.com' (base URL, no /.well-known)");
                ValueChecks.CheckHttps(context, oidcNode, "issuer", "auth.helper.oidc", issuer);
                if (issuer is not null && issuer.Value.Contains("/.well-known/", StringComparison.Ordinal))
                {
                    context.Error(DeploymentDiagnosticCodes.InvalidValue, oidcNode.Get("issuer")!, "auth.helper.oidc.issuer", "the issuer must be the base URL, not the discovery document", "remove '/.well-known/...' from the URL");
                }

                var clientId = context.String(oidcNode, "clientId", "auth.helper.oidc", required: true, fix: "add 'clientId:' of the IdP app registration");
                var roleName = context.String(oidcNode, "roleName", "auth.helper.oidc")?.Value ?? $"BasaltBedrock-{deploymentName}";
                if (!DeploymentPatterns.RoleName().IsMatch(roleName))
                {
                    context.Error(DeploymentDiagnosticCodes.InvalidValue, oidcNode.Get("roleName")!, "auth.helper.oidc.roleName", "expected an IAM role name (1-64 of letters, digits and +=,.@_-)", "shorten or simplify the name");
                }

                var duration = context.Int(oidcNode, "maxSessionDurationSec", "auth.helper.oidc", 3600, 43_200) ?? 43_200;
                if (aws?.AccountId is null && aws is not null)
                {
                    context.Error(DeploymentDiagnosticCodes.MissingKey, oidcNode, "aws.accountId", "OIDC federation needs the account that holds the role; 'aws.accountId' is missing",
                        "add 'accountId: \"123456789012\"' under 'aws:'");
                }

                oidc = issuer is null || clientId is null ? null : new OidcFederationSettings(issuer, clientId, roleName, duration);
            }
        }
        else
        {
            sso = SsoSectionReader.Read(context, auth, aws, deploymentName, required: true);
        }

        if ((source == HelperSource.Oidc && oidc is null) || (source == HelperSource.AwsSignIn && sso is null))
        {
            return null;
        }

        return new HelperSettings(source, profile?.Value ?? deploymentName, paths, ttl, timeout, oidc, sso);
    }
}
