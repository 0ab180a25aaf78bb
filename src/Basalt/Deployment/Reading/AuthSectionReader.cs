using Basalt.Diagnostics;
using Basalt.Diagnostics.Reading;

namespace Basalt.Deployment.Reading;

/// <summary>
/// Reads <c>auth:</c>; the keys allowed depend on the approach (<see cref="DeploymentSchema.AuthKeys"/>).
/// </summary>
internal static class AuthSectionReader
{
    public static AuthSettings? Read(FieldReader context, InputNode auth, string approach, AwsSettings? aws, string deploymentName)
    {
        switch (approach)
        {
            case "bearer-token":
                context.CheckKeys(auth, "auth", ["approach", "bearerToken"]);
                var token = context.String(auth, "bearerToken", "auth", required: true, fix: "add 'bearerToken: ${env:BEDROCK_API_KEY}' and export the Bedrock API key in that variable", secret: true);
                return token is null ? null : new AuthSettings(AuthApproach.BearerToken, auth.Location, BearerToken: token);
            case "aws-sign-in":
                context.CheckKeys(auth, "auth", ["approach", "sso"]);
                var sso = SsoSectionReader.Read(context, auth, aws, deploymentName, required: true);
                return sso is null ? null : new AuthSettings(AuthApproach.AwsSignIn, auth.Location, Sso: sso);
            case "named-profile":
                context.CheckKeys(auth, "auth", ["approach", "profile", "sso"]);
                var profileNode = context.Mapping(auth, "profile", "auth", required: true, fix: "add 'profile: { name: claude-cowork }'");
                var profileSso = SsoSectionReader.Read(context, auth, aws, deploymentName, required: false);
                if (profileNode is null)
                {
                    return null;
                }

                context.CheckKeys(profileNode, "auth.profile", DeploymentSchema.ProfileKeys);
                var profileName = context.String(profileNode, "name", "auth.profile", required: true, fix: "add 'name: claude-cowork'");
                ValueChecks.CheckProfileName(context, profileNode, "auth.profile.name", profileName);
                var awsDir = context.String(profileNode, "awsDir", "auth.profile");
                var cliPath = context.String(profileNode, "awsCliPath", "auth.profile");
                return profileName is null ? null : new AuthSettings(AuthApproach.NamedProfile, auth.Location, Profile: new ProfileSettings(profileName, awsDir, cliPath, profileSso));
            case "credential-helper":
                context.CheckKeys(auth, "auth", ["approach", "helper", "sso"]);
                var helper = HelperSectionReader.Read(context, auth, aws, deploymentName, required: true);
                return helper is null ? null : new AuthSettings(AuthApproach.CredentialHelper, auth.Location, Helper: helper);
            default:
                context.CheckKeys(auth, "auth", ["approach", "gateway", "helper"]);
                var gatewayNode = context.Mapping(auth, "gateway", "auth", required: true, fix: "add 'gateway: { baseUrl: https://llm.example.com, apiKey: ${env:GATEWAY_API_KEY} }'");
                if (gatewayNode is null)
                {
                    return null;
                }

                context.CheckKeys(gatewayNode, "auth.gateway", DeploymentSchema.GatewayKeys);
                var baseUrl = context.String(gatewayNode, "baseUrl", "auth.gateway", required: true, fix: "add 'baseUrl: https://llm.example.com'");
                ValueChecks.CheckHttps(context, gatewayNode, "baseUrl", "auth.gateway", baseUrl);
                var apiKey = context.String(gatewayNode, "apiKey", "auth.gateway", secret: true);
                var scheme = context.Choice(gatewayNode, "authScheme", "auth.gateway", ["bearer", "x-api-key"], "bearer")!;
                var useHelper = context.Bool(gatewayNode, "useHelper", "auth.gateway") ?? false;
                var gatewaySignIn = context.Bool(gatewayNode, "gatewaySignIn", "auth.gateway") ?? false;
                var basalt = context.Bool(gatewayNode, "basalt", "auth.gateway") ?? false;
                var telemetry = context.Bool(gatewayNode, "telemetry", "auth.gateway") ?? false;
                FieldValue? oidcJson = null;
                if (gatewayNode.Get("oidc") is { IsNull: false } oidcNode)
                {
                    oidcJson = AuthSectionReader.ReadGatewayOidc(context, oidcNode);
                }

                var sources = (apiKey is not null ? 1 : 0) + (useHelper ? 1 : 0) + (oidcJson is not null ? 1 : 0) + (gatewaySignIn ? 1 : 0);
                if (sources != 1 && baseUrl is not null && !context.Diagnostics.Any(d => d.IsError && d.Location == gatewayNode.Get("apiKey")?.Location))
                {
                    context.Error(sources == 0 ? DeploymentDiagnosticCodes.MissingKey : DeploymentDiagnosticCodes.ConflictingSettings, gatewayNode, "auth.gateway",
                        sources == 0 ? "no gateway credential; expected exactly one of apiKey, oidc, useHelper or gatewaySignIn" : "more than one gateway credential; expected exactly one of apiKey, oidc, useHelper or gatewaySignIn",
                        "keep exactly one: 'apiKey: ${env:GATEWAY_API_KEY}', an 'oidc:' sign-in block, 'useHelper: true', or 'gatewaySignIn: true'");
                    return null;
                }

                HelperSettings? gatewayHelper = null;
                if (useHelper)
                {
                    gatewayHelper = HelperSectionReader.Read(context, auth, aws, deploymentName, required: false) ?? AuthSectionReader.DefaultHelper(deploymentName);
                }

                return baseUrl is null ? null : new AuthSettings(AuthApproach.Gateway, auth.Location, Helper: gatewayHelper,
                    Gateway: new GatewaySettings(baseUrl, apiKey, scheme, oidcJson, useHelper)
                    {
                        Basalt = basalt ? gatewayNode.Get("basalt")!.Location : null,
                        GatewaySignIn = gatewaySignIn,
                        Telemetry = telemetry,
                    });
        }
    }

    public static HelperSettings DefaultHelper(string deploymentName)
        => new(HelperSource.Oidc, deploymentName, HelperSettings.DefaultInstallPaths, null, null, null, null);

    public static FieldValue? ReadGatewayOidc(FieldReader context, InputNode oidc)
    {
        if (oidc.Kind != InputNodeKind.Mapping)
        {
            context.Error(DeploymentDiagnosticCodes.WrongType, oidc, "auth.gateway.oidc", $"expected a mapping, found {oidc.Describe()}", "write 'oidc:' with indented 'clientId:' and 'issuer:' lines");
            return null;
        }

        context.CheckKeys(oidc, "auth.gateway.oidc", ["clientId", "issuer", "authorizationUrl", "tokenUrl", "scopes", "bearerTokenType", "appendOfflineAccess", "resource", "redirectPort", "additionalRedirectReferrerHosts"]);
        context.String(oidc, "clientId", "auth.gateway.oidc", required: true, fix: "add 'clientId:' of the public (native) app registration");
        var issuer = context.String(oidc, "issuer", "auth.gateway.oidc");
        if (issuer is not null && issuer.Value.Contains("/.well-known/", StringComparison.Ordinal))
        {
            context.Error(DeploymentDiagnosticCodes.InvalidValue, oidc.Get("issuer")!, "auth.gateway.oidc.issuer",
                "the issuer must be the base URL, not the discovery document (cowork3p-reference §6.3)", "remove '/.well-known/openid-configuration' from the URL");
        }

        var json = DeploymentJson.FromNode(context, oidc, "auth.gateway.oidc");
        return json;
    }
}
