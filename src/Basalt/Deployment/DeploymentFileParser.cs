using System.Text.RegularExpressions;
using Basalt.Aws;
using Basalt.Bedrock;
using Basalt.Deployment.Secrets;
using Basalt.Deployment.Yaml;
using Basalt.Diagnostics;
using Basalt.ManagedConfig;

namespace Basalt.Deployment;

/// <summary>
/// Reads <c>basalt.yaml</c> (README, "basalt deploy") into a <see cref="DeploymentFile"/>. Every problem is one
/// diagnostic with file:line:column, key path, what was expected and how to fix it; nothing throws. Each group
/// is the top-level sections with the group's overrides laid over them; problems in shared sections are
/// reported once.
/// </summary>
public static partial class DeploymentFileParser
{
    public const string DefaultGroupName = "default";

    private static readonly string[] TopKeys = ["version", "name", "organization", "provider", "platforms", "aws", "auth", "models", "policy", "telemetry", "claudeCode", "groups", DeploymentModelCatalogue.Key];
    private static readonly string[] GroupKeys = ["description", "provider", "platforms", "organization", "aws", "auth", "models", "policy", "telemetry", "claudeCode"];
    private static readonly string[] OrganizationKeys = ["name", "identifier", "uuid", "displayName", "displaySubtitle"];
    private static readonly string[] AwsKeys = ["region", "scope", "geography", "accountId", "allowedRegions", "baseUrl", "serviceTier"];
    private static readonly string[] ModelKeys = ["id", "label", "tier", "scope", "supports1m", "prefer1m", "familyDefault"];
    private static readonly string[] SsoKeys = ["startUrl", "region", "accountId", "roleName", "sessionName", "profileName"];
    private static readonly string[] ProfileKeys = ["name", "awsDir", "awsCliPath"];
    private static readonly string[] HelperKeys = ["source", "profile", "installPath", "ttlSec", "timeoutSec", "oidc"];
    private static readonly string[] OidcKeys = ["issuer", "clientId", "roleName", "maxSessionDurationSec"];
    private static readonly string[] GatewayKeys = ["baseUrl", "apiKey", "authScheme", "oidc", "useHelper"];
    private static readonly string[] ClaudeCodeKeys = ["enabled", "gatewayMode", "env"];
    private static readonly string[] Approaches = ["bearer-token", "aws-sign-in", "named-profile", "credential-helper", "gateway"];
    private static readonly string[] Scopes = ["regional", "cross-region", "global"];
    private static readonly string[] Tiers = [.. Basalt.Bedrock.Models.ModelCatalogue.Default.Families];

    /// <summary>Reads and parses a deployment file from disk; relative <c>${file:...}</c> paths start at its folder.</summary>
    public static DeploymentParseResult Load(string path, Func<string, string?>? environment = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var reason = ex is FileNotFoundException or DirectoryNotFoundException ? "the file does not exist" : "the file cannot be read";
            return new DeploymentParseResult(null,
            [
                new Diagnostic(DiagnosticSeverity.Error, DeploymentDiagnosticCodes.EmptyFile, $"cannot read the deployment file: {reason}",
                    Location: new SourceLocation(path), Fix: "check the path, or run 'basalt deploy init' to create basalt.yaml"),
            ]);
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? Environment.CurrentDirectory;
        return Parse(text, path, new SecretReferenceResolver(directory, environment));
    }

    public static DeploymentParseResult Parse(string text, string path, SecretReferenceResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(resolver);
        var diagnostics = new List<Diagnostic>();
        var root = DeploymentYamlReader.Read(text, path, diagnostics);
        if (root is null)
        {
            return new DeploymentParseResult(null, diagnostics);
        }

        var context = new DeploymentReadContext(resolver, diagnostics);
        if (root.Kind != DeploymentNodeKind.Mapping)
        {
            context.Error(DeploymentDiagnosticCodes.WrongType, root, "(root)", $"expected a mapping of sections, found {root.Describe()}", "start the file with 'name:', 'provider:', 'aws:', 'auth:' and 'models:' sections");
            return new DeploymentParseResult(null, diagnostics);
        }

        context.CheckKeys(root, string.Empty, TopKeys);
        context.Catalogue = DeploymentModelCatalogue.Read(context, root.Get(DeploymentModelCatalogue.Key), path);
        var version = context.Int(root, "version", string.Empty, 0, int.MaxValue);
        if (version is not null and not 1)
        {
            context.Error(DeploymentDiagnosticCodes.UnsupportedVersion, root.Get("version")!, "version", $"version {version} is not supported; expected 1", "set 'version: 1'");
        }

        var name = context.String(root, "name", string.Empty, required: true, fix: "add 'name: my-deployment' (lower case letters, digits and '-')");
        if (name is not null && !NamePattern().IsMatch(name.Value))
        {
            context.Error(DeploymentDiagnosticCodes.InvalidValue, root.Get("name")!, "name", $"'{name.Value}' is not a valid deployment name; expected lower case letters, digits and '-', starting with a letter or digit", "rename it, e.g. 'acme-claude'");
        }

        var deploymentName = name?.Value ?? "deployment";
        var groups = new List<DeploymentGroup>();
        var modelsNode = root.Get("models");
        var baseNode = Without(root, "groups", DeploymentModelCatalogue.Key);
        var groupsNode = root.Get("groups");
        if (groupsNode is null || groupsNode.IsNull)
        {
            if (ParseGroup(context, deploymentName, DefaultGroupName, Without(baseNode, "models"), modelsNode, null, null) is { } single)
            {
                groups.Add(single);
            }
        }
        else if (groupsNode.Kind != DeploymentNodeKind.Mapping || groupsNode.Entries.Count == 0)
        {
            context.Error(DeploymentDiagnosticCodes.WrongType, groupsNode, "groups", $"expected a mapping of group names to overrides, found {groupsNode.Describe()}",
                "write 'groups:' followed by indented 'engineering:' style entries");
        }
        else
        {
            foreach (var (keyNode, groupNode) in groupsNode.Entries)
            {
                var groupName = keyNode.Scalar ?? string.Empty;
                if (!NamePattern().IsMatch(groupName))
                {
                    context.Error(DeploymentDiagnosticCodes.InvalidValue, keyNode, $"groups.{groupName}", $"'{groupName}' is not a valid group name; expected lower case letters, digits and '-' (it becomes a folder name)", "rename the group, e.g. 'engineering'");
                    continue;
                }

                var overrides = groupNode.IsNull ? DeploymentNode.CreateMapping([], groupNode.Location) : groupNode;
                if (overrides.Kind != DeploymentNodeKind.Mapping)
                {
                    context.Error(DeploymentDiagnosticCodes.WrongType, groupNode, $"groups.{groupName}", $"expected a mapping of overrides, found {groupNode.Describe()}", "indent the group's sections under its name");
                    continue;
                }

                context.EnterGroup(groupName, overrides);
                context.CheckKeys(overrides, $"groups.{groupName}", GroupKeys);
                var effective = DeploymentNodeMerger.Merge(Without(baseNode, "models"), Without(overrides, "models", "description"));
                var description = context.String(overrides, "description", $"groups.{groupName}")?.Value;
                if (ParseGroup(context, deploymentName, groupName, effective, modelsNode, overrides.Get("models"), description) is { } group)
                {
                    groups.Add(group);
                }

                context.LeaveGroup();
            }
        }

        var unique = Deduplicate(diagnostics);
        var organization = groups.Count > 0 ? groups[0].Organization : new OrganizationSettings(deploymentName, $"basalt.{deploymentName}", null, null, null);
        var file = unique.Any(d => d.IsError) ? null : new DeploymentFile(path, deploymentName, organization, groups);
        return new DeploymentParseResult(file, unique);
    }

    private static DeploymentGroup? ParseGroup(DeploymentReadContext context, string deploymentName, string groupName, DeploymentNode node,
        DeploymentNode? modelsNode, DeploymentNode? modelSelection, string? description)
    {
        var errorsBefore = context.Diagnostics.Count(d => d.IsError);
        var organization = ParseOrganization(context, node, deploymentName);
        var platforms = ParsePlatforms(context, node);
        var authNode = context.Mapping(node, "auth", string.Empty, required: true, fix: $"add 'auth:' with 'approach:' set to one of {string.Join(", ", Approaches)}");
        var approachText = authNode is null ? null : context.Choice(authNode, "approach", "auth", Approaches, required: true);
        var providerText = context.Choice(node, "provider", string.Empty, ["bedrock", "gateway"], approachText == "gateway" ? "gateway" : "bedrock");
        var provider = providerText == "gateway" ? InferenceProvider.Gateway : InferenceProvider.Bedrock;
        if (approachText is not null && (approachText == "gateway") != (provider == InferenceProvider.Gateway))
        {
            context.Error(DeploymentDiagnosticCodes.ConflictingSettings, node.Get("provider") ?? authNode!.Get("approach")!, "provider",
                $"provider '{providerText}' does not match auth approach '{approachText}'; a gateway provider needs the 'gateway' approach and the other approaches need 'bedrock'",
                "set 'provider: gateway' with 'auth.approach: gateway', or 'provider: bedrock' with a Bedrock approach");
        }

        var claudeCode = ParseClaudeCode(context, node);
        var awsRequired = provider == InferenceProvider.Bedrock || (claudeCode.Enabled && claudeCode.GatewayMode == GatewayClientMode.Bedrock);
        var awsNode = context.Mapping(node, "aws", string.Empty, required: awsRequired,
            fix: provider == InferenceProvider.Bedrock ? "add 'aws:' with at least 'region:'" : "add 'aws: { region: ... }' (Claude Code needs AWS_REGION in Bedrock mode) or set 'claudeCode.gatewayMode: anthropic'");
        var aws = awsNode is null ? null : ParseAws(context, awsNode);
        var auth = authNode is null || approachText is null ? null : ParseAuth(context, authNode, approachText, aws, deploymentName);
        var models = ParseModels(context, modelsNode, modelSelection, provider, aws, groupName);
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

        return new DeploymentGroup(groupName, description, provider, platforms, aws, auth, models, policy, telemetry, claudeCode, organization, node.Location);
    }

    private static OrganizationSettings ParseOrganization(DeploymentReadContext context, DeploymentNode node, string deploymentName)
    {
        var org = context.Mapping(node, "organization", string.Empty);
        if (org is null)
        {
            return new OrganizationSettings(deploymentName, $"basalt.{deploymentName}", null, null, null);
        }

        context.CheckKeys(org, "organization", OrganizationKeys);
        var name = context.String(org, "name", "organization")?.Value ?? deploymentName;
        var identifier = context.String(org, "identifier", "organization");
        if (identifier is not null && !IdentifierPattern().IsMatch(identifier.Value))
        {
            context.Error(DeploymentDiagnosticCodes.InvalidValue, org.Get("identifier")!, "organization.identifier",
                $"'{identifier.Value}' is not a reverse-DNS identifier; expected e.g. com.example.claude", "use your organization's reverse domain name");
        }

        var uuid = context.String(org, "uuid", "organization");
        if (uuid is not null && !Guid.TryParseExact(uuid.Value, "D", out _))
        {
            context.Error(DeploymentDiagnosticCodes.InvalidValue, org.Get("uuid")!, "organization.uuid",
                "not a UUID; expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", "generate one with 'uuidgen' and keep it stable: it namespaces local data (cowork3p-reference §2.6)");
        }

        return new OrganizationSettings(name, identifier?.Value ?? $"basalt.{deploymentName}", uuid,
            context.String(org, "displayName", "organization"), context.String(org, "displaySubtitle", "organization"));
    }

    private static List<DeploymentPlatform> ParsePlatforms(DeploymentReadContext context, DeploymentNode node)
    {
        var list = context.StringList(node, "platforms", string.Empty);
        if (list is null)
        {
            return [.. DeploymentPlatformNames.All];
        }

        var platforms = new List<DeploymentPlatform>();
        foreach (var item in list)
        {
            if (DeploymentPlatformNames.TryParse(item.Value, out var platform))
            {
                if (!platforms.Contains(platform))
                {
                    platforms.Add(platform);
                }
            }
            else
            {
                context.Diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DeploymentDiagnosticCodes.InvalidValue,
                    $"'{item.Value}' is not a platform; expected macos, windows or linux", "platforms", item.Location, "use macos, windows and/or linux"));
            }
        }

        if (list.Count == 0)
        {
            context.Error(DeploymentDiagnosticCodes.InvalidValue, node.Get("platforms")!, "platforms", "the list is empty; expected at least one of macos, windows, linux", "list the platforms to generate for, or remove the key for all three");
        }

        platforms.Sort();
        return platforms;
    }

    private static AwsSettings? ParseAws(DeploymentReadContext context, DeploymentNode aws)
    {
        context.CheckKeys(aws, "aws", AwsKeys);
        var region = context.String(aws, "region", "aws", required: true, fix: "add 'region: us-west-2' (the region where Claude is enabled in Bedrock)");
        var partition = region is null ? null : AwsPartition.ForRegion(region.Value);
        if (region is not null && partition is null)
        {
            context.Error(DeploymentDiagnosticCodes.InvalidValue, aws.Get("region")!, "aws.region", $"'{region.Value}' is not an AWS region name; expected e.g. us-west-2 or us-gov-west-1", "use the region where Claude models are enabled in Bedrock");
        }

        var scopeText = context.Choice(aws, "scope", "aws", Scopes, "cross-region");
        var scope = scopeText switch
        {
            "regional" => InferenceProfileScope.Regional,
            "global" => InferenceProfileScope.Global,
            _ => InferenceProfileScope.CrossRegion,
        };
        var geography = context.Choice(aws, "geography", "aws", BedrockDestinationRegions.Geographies);
        var accountId = context.String(aws, "accountId", "aws");
        if (accountId is not null && !AccountPattern().IsMatch(accountId.Value))
        {
            context.Error(DeploymentDiagnosticCodes.InvalidValue, aws.Get("accountId")!, "aws.accountId", "expected a 12-digit AWS account id", "write the account id in quotes, e.g. accountId: \"123456789012\"");
        }

        var baseUrl = context.String(aws, "baseUrl", "aws");
        CheckHttps(context, aws, "baseUrl", "aws", baseUrl);
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

    private static AuthSettings? ParseAuth(DeploymentReadContext context, DeploymentNode auth, string approach, AwsSettings? aws, string deploymentName)
    {
        switch (approach)
        {
            case "bearer-token":
                context.CheckKeys(auth, "auth", ["approach", "bearerToken"]);
                var token = context.String(auth, "bearerToken", "auth", required: true, fix: "add 'bearerToken: ${env:BEDROCK_API_KEY}' and export the Bedrock API key in that variable", secret: true);
                return token is null ? null : new AuthSettings(AuthApproach.BearerToken, auth.Location, BearerToken: token);
            case "aws-sign-in":
                context.CheckKeys(auth, "auth", ["approach", "sso"]);
                var sso = ParseSso(context, auth, aws, deploymentName, required: true);
                return sso is null ? null : new AuthSettings(AuthApproach.AwsSignIn, auth.Location, Sso: sso);
            case "named-profile":
                context.CheckKeys(auth, "auth", ["approach", "profile", "sso"]);
                var profileNode = context.Mapping(auth, "profile", "auth", required: true, fix: "add 'profile: { name: claude-cowork }'");
                var profileSso = ParseSso(context, auth, aws, deploymentName, required: false);
                if (profileNode is null)
                {
                    return null;
                }

                context.CheckKeys(profileNode, "auth.profile", ProfileKeys);
                var profileName = context.String(profileNode, "name", "auth.profile", required: true, fix: "add 'name: claude-cowork'");
                CheckProfileName(context, profileNode, "auth.profile.name", profileName);
                var awsDir = context.String(profileNode, "awsDir", "auth.profile");
                var cliPath = context.String(profileNode, "awsCliPath", "auth.profile");
                return profileName is null ? null : new AuthSettings(AuthApproach.NamedProfile, auth.Location, Profile: new ProfileSettings(profileName, awsDir, cliPath, profileSso));
            case "credential-helper":
                context.CheckKeys(auth, "auth", ["approach", "helper", "sso"]);
                var helper = ParseHelper(context, auth, aws, deploymentName, required: true);
                return helper is null ? null : new AuthSettings(AuthApproach.CredentialHelper, auth.Location, Helper: helper);
            default:
                context.CheckKeys(auth, "auth", ["approach", "gateway", "helper"]);
                var gatewayNode = context.Mapping(auth, "gateway", "auth", required: true, fix: "add 'gateway: { baseUrl: https://llm.example.com, apiKey: ${env:GATEWAY_API_KEY} }'");
                if (gatewayNode is null)
                {
                    return null;
                }

                context.CheckKeys(gatewayNode, "auth.gateway", GatewayKeys);
                var baseUrl = context.String(gatewayNode, "baseUrl", "auth.gateway", required: true, fix: "add 'baseUrl: https://llm.example.com'");
                CheckHttps(context, gatewayNode, "baseUrl", "auth.gateway", baseUrl);
                var apiKey = context.String(gatewayNode, "apiKey", "auth.gateway", secret: true);
                var scheme = context.Choice(gatewayNode, "authScheme", "auth.gateway", ["bearer", "x-api-key"], "bearer")!;
                var useHelper = context.Bool(gatewayNode, "useHelper", "auth.gateway") ?? false;
                DeploymentValue? oidcJson = null;
                if (gatewayNode.Get("oidc") is { IsNull: false } oidcNode)
                {
                    oidcJson = ParseGatewayOidc(context, oidcNode);
                }

                var sources = (apiKey is not null ? 1 : 0) + (useHelper ? 1 : 0) + (oidcJson is not null ? 1 : 0);
                if (sources != 1 && baseUrl is not null && !context.Diagnostics.Any(d => d.IsError && d.Location == gatewayNode.Get("apiKey")?.Location))
                {
                    context.Error(sources == 0 ? DeploymentDiagnosticCodes.MissingKey : DeploymentDiagnosticCodes.ConflictingSettings, gatewayNode, "auth.gateway",
                        sources == 0 ? "no gateway credential; expected exactly one of apiKey, oidc or useHelper" : "more than one gateway credential; expected exactly one of apiKey, oidc or useHelper",
                        "keep exactly one: 'apiKey: ${env:GATEWAY_API_KEY}', an 'oidc:' sign-in block, or 'useHelper: true'");
                    return null;
                }

                HelperSettings? gatewayHelper = null;
                if (useHelper)
                {
                    gatewayHelper = ParseHelper(context, auth, aws, deploymentName, required: false) ?? DefaultHelper(deploymentName);
                }

                return baseUrl is null ? null : new AuthSettings(AuthApproach.Gateway, auth.Location, Helper: gatewayHelper,
                    Gateway: new GatewaySettings(baseUrl, apiKey, scheme, oidcJson, useHelper));
        }
    }

    private static HelperSettings DefaultHelper(string deploymentName)
        => new(HelperSource.Oidc, deploymentName, HelperSettings.DefaultInstallPaths, null, null, null, null);

    private static DeploymentValue? ParseGatewayOidc(DeploymentReadContext context, DeploymentNode oidc)
    {
        if (oidc.Kind != DeploymentNodeKind.Mapping)
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

    private static SsoSettings? ParseSso(DeploymentReadContext context, DeploymentNode auth, AwsSettings? aws, string deploymentName, bool required)
    {
        var sso = context.Mapping(auth, "sso", "auth", required, "add 'sso:' with startUrl, region, accountId and roleName from the IAM Identity Center Settings page");
        if (sso is null)
        {
            return null;
        }

        context.CheckKeys(sso, "auth.sso", SsoKeys);
        var startUrl = context.String(sso, "startUrl", "auth.sso", required: true, fix: "add 'startUrl: https://d-xxxxxxxxxx.awsapps.com/start' (the AWS access portal URL)");
        CheckHttps(context, sso, "startUrl", "auth.sso", startUrl);
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
        else if (!AccountPattern().IsMatch(accountId.Value))
        {
            context.Error(DeploymentDiagnosticCodes.InvalidValue, sso.Get("accountId") ?? sso, "auth.sso.accountId", "expected a 12-digit AWS account id", "write it in quotes, e.g. \"123456789012\"");
        }

        var role = context.String(sso, "roleName", "auth.sso", required: true, fix: "add 'roleName:' with the permission-set name, e.g. ClaudeCoworkAccess");
        var session = context.String(sso, "sessionName", "auth.sso")?.Value ?? deploymentName;
        if (!ProfileNamePattern().IsMatch(session))
        {
            context.Error(DeploymentDiagnosticCodes.InvalidValue, sso.Get("sessionName")!, "auth.sso.sessionName", "expected letters, digits, '-', '_' or '.'", "use a short name such as 'corp'");
        }

        var profileName = context.String(sso, "profileName", "auth.sso");
        CheckProfileName(context, sso, "auth.sso.profileName", profileName);
        return startUrl is null || region is null || accountId is null || role is null ? null
            : new SsoSettings(startUrl, region, accountId, role, session, profileName?.Value ?? deploymentName);
    }

    private static HelperSettings? ParseHelper(DeploymentReadContext context, DeploymentNode auth, AwsSettings? aws, string deploymentName, bool required)
    {
        var helper = context.Mapping(auth, "helper", "auth", required, "add 'helper: { source: oidc, oidc: { issuer: ..., clientId: ... } }'");
        if (helper is null)
        {
            return null;
        }

        context.CheckKeys(helper, "auth.helper", HelperKeys);
        var sourceText = context.Choice(helper, "source", "auth.helper", ["oidc", "aws-sign-in"], "oidc");
        var profile = context.String(helper, "profile", "auth.helper");
        CheckProfileName(context, helper, "auth.helper.profile", profile);
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

                var absolute = platform == DeploymentPlatform.Windows ? WindowsAbsolutePattern().IsMatch(path.Value) : path.Value.StartsWith('/');
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
                context.CheckKeys(oidcNode, "auth.helper.oidc", OidcKeys);
                var issuer = context.String(oidcNode, "issuer", "auth.helper.oidc", required: true, fix: "add 'issuer: https://login.example.com' (base URL, no /.well-known)");
                CheckHttps(context, oidcNode, "issuer", "auth.helper.oidc", issuer);
                if (issuer is not null && issuer.Value.Contains("/.well-known/", StringComparison.Ordinal))
                {
                    context.Error(DeploymentDiagnosticCodes.InvalidValue, oidcNode.Get("issuer")!, "auth.helper.oidc.issuer", "the issuer must be the base URL, not the discovery document", "remove '/.well-known/...' from the URL");
                }

                var clientId = context.String(oidcNode, "clientId", "auth.helper.oidc", required: true, fix: "add 'clientId:' of the IdP app registration");
                var roleName = context.String(oidcNode, "roleName", "auth.helper.oidc")?.Value ?? $"BasaltBedrock-{deploymentName}";
                if (!RoleNamePattern().IsMatch(roleName))
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
            sso = ParseSso(context, auth, aws, deploymentName, required: true);
        }

        if ((source == HelperSource.Oidc && oidc is null) || (source == HelperSource.AwsSignIn && sso is null))
        {
            return null;
        }

        return new HelperSettings(source, profile?.Value ?? deploymentName, paths, ttl, timeout, oidc, sso);
    }

    private static List<ModelSettings> ParseModels(DeploymentReadContext context, DeploymentNode? modelsNode, DeploymentNode? selection, InferenceProvider provider, AwsSettings? aws, string groupName)
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

        if (modelsNode.Kind != DeploymentNodeKind.Mapping)
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
            var items = context.StringList(DeploymentNode.CreateMapping([new(DeploymentNode.CreateScalar("models", true, selection.Location), selection)], selection.Location), "models", $"groups.{groupName}") ?? [];
            foreach (var item in items)
            {
                if (!aliases.Contains(item.Value, StringComparer.Ordinal))
                {
                    var suggestion = DeploymentReadContext.Suggest(item.Value, aliases);
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
            if (ParseModel(context, alias, modelsNode.Get(alias)!, provider, aws) is { } model)
            {
                result.Add(model);
            }
        }

        return result;
    }

    private static ModelSettings? ParseModel(DeploymentReadContext context, string alias, DeploymentNode node, InferenceProvider provider, AwsSettings? aws)
    {
        var path = $"models.{alias}";
        DeploymentValue? id;
        DeploymentNode mapping;
        if (node.Kind == DeploymentNodeKind.Scalar)
        {
            id = context.Scalar(node, path);
            mapping = DeploymentNode.CreateMapping([], node.Location);
        }
        else if (node.Kind == DeploymentNodeKind.Mapping)
        {
            context.CheckKeys(node, path, ModelKeys);
            id = context.String(node, "id", path, required: true, fix: $"add 'id: {DeploymentModelCheck.ExampleFoundationId}' (a Bedrock model id; 'basalt models list' shows them)");
            mapping = node;
        }
        else
        {
            context.Error(DeploymentDiagnosticCodes.WrongType, node, path, $"expected a model id or a mapping with 'id:', found {node.Describe()}", "write 'id:', 'label:' and 'tier:' under the alias");
            return null;
        }

        var label = context.String(mapping, "label", path)?.Value;
        var tier = context.Choice(mapping, "tier", path, Tiers);
        var supports1m = context.Bool(mapping, "supports1m", path);
        var prefer1m = context.Bool(mapping, "prefer1m", path);
        var familyDefault = context.Bool(mapping, "familyDefault", path);
        var scopeText = context.Choice(mapping, "scope", path, Scopes);
        if (prefer1m == true && supports1m != true)
        {
            context.Error(DeploymentDiagnosticCodes.ConflictingSettings, mapping.Get("prefer1m")!, $"{path}.prefer1m", "prefer1m has no effect without supports1m (cowork3p-reference §7.1)", "add 'supports1m: true' or remove 'prefer1m'");
        }

        if (id is null)
        {
            return null;
        }

        var idNode = node.Kind == DeploymentNodeKind.Scalar ? node : node.Get("id")!;
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
            resolved = ResolveBedrockId(context, idNode, $"{path}.id", DeploymentModelCheck.Expand(context.Catalogue, id.Value), scope, geography, aws, label) ?? string.Empty;
            if (resolved.Length == 0)
            {
                return null;
            }

            DeploymentModelCheck.Check(context, context.Catalogue, idNode, $"{path}.id", resolved, aws, supports1m);
        }

        return new ModelSettings(alias, id.Value, resolved, idNode.Location, label, tier, supports1m, prefer1m, familyDefault);
    }

    /// <summary>Applies the inference-profile scope to a foundation id, or checks that a full id or ARN fits the scope, region and partition.</summary>
    private static string? ResolveBedrockId(DeploymentReadContext context, DeploymentNode node, string path, string id, InferenceProfileScope scope, string? geography, AwsSettings aws, string? label)
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

    private static ClaudeCodeSettings ParseClaudeCode(DeploymentReadContext context, DeploymentNode node)
    {
        var cc = context.Mapping(node, "claudeCode", string.Empty);
        if (cc is null)
        {
            return ClaudeCodeSettings.Default;
        }

        context.CheckKeys(cc, "claudeCode", ClaudeCodeKeys);
        var enabled = context.Bool(cc, "enabled", "claudeCode") ?? true;
        var mode = context.Choice(cc, "gatewayMode", "claudeCode", ["bedrock", "anthropic"], "bedrock") == "anthropic" ? GatewayClientMode.Anthropic : GatewayClientMode.Bedrock;
        var env = new List<KeyValuePair<string, DeploymentValue>>();
        if (context.Mapping(cc, "env", "claudeCode") is { } envNode)
        {
            foreach (var (k, v) in envNode.Entries)
            {
                var name = k.Scalar ?? string.Empty;
                if (!EnvNamePattern().IsMatch(name))
                {
                    context.Error(DeploymentDiagnosticCodes.InvalidValue, k, $"claudeCode.env.{name}", "not an environment variable name; expected upper case letters, digits and '_'", "rename it, e.g. DISABLE_TELEMETRY");
                    continue;
                }

                if (context.Scalar(v, $"claudeCode.env.{name}") is { } value)
                {
                    env.Add(new(name, value));
                }
            }
        }

        return new ClaudeCodeSettings(enabled, mode, env);
    }

    private static void CheckHttps(DeploymentReadContext context, DeploymentNode parent, string key, string path, DeploymentValue? value)
    {
        if (value is null)
        {
            return;
        }

        if (!Uri.TryCreate(value.Value, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || uri.UserInfo.Length > 0)
        {
            context.Error(DeploymentDiagnosticCodes.InvalidValue, parent.Get(key)!, DeploymentReadContext.Join(path, key),
                value.IsSecret ? "expected an https:// URL without user:password@" : $"'{value.Value}' is not an https:// URL without user:password@",
                "write the full URL starting with https://");
        }
    }

    private static void CheckProfileName(DeploymentReadContext context, DeploymentNode parent, string path, DeploymentValue? value)
    {
        if (value is not null && !ProfileNamePattern().IsMatch(value.Value))
        {
            context.Error(DeploymentDiagnosticCodes.InvalidValue, parent.Get(path[(path.LastIndexOf('.') + 1)..])!, path,
                $"'{value.Value}' is not a usable AWS profile name; expected letters, digits, '-', '_' or '.'", "use a name such as claude-cowork");
        }
    }

    private static DeploymentNode Without(DeploymentNode mapping, params string[] keys)
        => mapping.Kind != DeploymentNodeKind.Mapping ? mapping
            : DeploymentNode.CreateMapping(mapping.Entries.Where(e => !keys.Contains(e.Key.Scalar, StringComparer.Ordinal)).ToList(), mapping.Location);

    private static List<Diagnostic> Deduplicate(List<Diagnostic> diagnostics)
    {
        var seen = new HashSet<Diagnostic>();
        var unique = new List<Diagnostic>(diagnostics.Count);
        foreach (var d in diagnostics)
        {
            if (seen.Add(d))
            {
                unique.Add(d);
            }
        }

        return unique;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[0-9]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex AccountPattern();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex ProfileNamePattern();

    [GeneratedRegex("^[A-Za-z0-9+=,.@_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex RoleNamePattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]*(\\.[A-Za-z0-9][A-Za-z0-9-]*)+$", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierPattern();

    [GeneratedRegex("^[A-Z_][A-Z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex EnvNamePattern();

    [GeneratedRegex(@"^[A-Za-z]:\\", RegexOptions.CultureInvariant)]
    private static partial Regex WindowsAbsolutePattern();
}
