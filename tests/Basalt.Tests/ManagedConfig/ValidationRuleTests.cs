using Basalt.Diagnostics;
using Basalt.ManagedConfig;
using static Basalt.Tests.ManagedConfig.TestConfigs;
using C = Basalt.ManagedConfig.ConfigDiagnosticCodes;

namespace Basalt.Tests.ManagedConfig;

/// <summary>
/// One positive and one negative configuration per validator rule: the bad one must raise the code (with the
/// expected severity), the good one, differing only in the keys under test, must not.
/// </summary>
public sealed class ValidationRuleTests
{
    private sealed record RuleCase(
        string Code,
        DiagnosticSeverity Severity,
        string Base,
        (string Key, string? Value)[] Bad,
        (string Key, string? Value)[] Good,
        string? App = null,
        bool BeforeCutoffDate = false,
        string? MessageContains = null);

    private static readonly string Long61 = new('x', 61);

    private static readonly RuleCase[] Cases =
    [
        // Keys.
        new(C.UnknownKey, DiagnosticSeverity.Warning, "bedrock", [("inferenceBedrockRegoin", "us-west-2")], [("inferenceBedrockRegion", "us-west-2")], MessageContains: "inferenceBedrockRegion"),
        new(C.KeyWrongCase, DiagnosticSeverity.Warning, "bedrock", [("DisableAutoUpdates", "true")], [("disableAutoUpdates", "true")], MessageContains: "case-sensitive"),
        new(C.DeprecatedKey, DiagnosticSeverity.Error, "bedrock", [("isDxtEnabled", "true")], [("isDesktopExtensionEnabled", "true")], MessageContains: "Old name unreadable"),
        new(C.DeprecatedKey, DiagnosticSeverity.Warning, "bedrock", [("trustBootstrapLocalExec", "true")], [("trustBootstrapDelivery", "true")], BeforeCutoffDate: true),
        new(C.RemovedKey, DiagnosticSeverity.Warning, "bedrock", [("disableDefaultPlugins", "true")], [("disableBundledSkills", "true")]),
        new(C.KeyNewerThanApp, DiagnosticSeverity.Warning, "bedrock", [("inferenceBedrockAwsCliPath", "/usr/local/bin/aws")], [("inferenceBedrockAwsDir", "/etc/aws")], App: "1.10000.0"),
        new(C.DottedSubKey, DiagnosticSeverity.Error, "gateway", [("inferenceGatewayOidc.clientId", "abc")], [("inferenceGatewayOidc", "{\"clientId\":\"abc\",\"issuer\":\"https://idp.example.com\"}")]),
        new(C.DottedSubKey, DiagnosticSeverity.Error, "bedrock", [("bootstrapOidc.clientId", "abc")], [("bootstrapOidc", "{\"clientId\":\"abc\",\"issuer\":\"https://idp.example.com\"}")], MessageContains: "device-code"),
        new(C.StandardDeploymentKey, DiagnosticSeverity.Info, "bedrock", [("forceLoginOrgUUID", "3f0c3c5e-9d0a-4d7e-8b1c-2a9f4e6b7c10")], []),
        new(C.UnconfirmedKey, DiagnosticSeverity.Info, "foundry", [("inferenceFoundryBaseUrl", "https://acme.services.ai.azure.com")], []),
        new(C.RenamedKeyBothSet, DiagnosticSeverity.Warning, "bedrock", [("inferenceGatewayHeaders", "{\"X-A\":\"1\"}"), ("inferenceCustomHeaders", "{\"X-A\":\"1\"}")], [("inferenceCustomHeaders", "{\"X-A\":\"1\"}")], BeforeCutoffDate: true),

        // Types and values.
        new(C.InvalidBoolean, DiagnosticSeverity.Error, "bedrock", [("disableAutoUpdates", "yes")], [("disableAutoUpdates", "1")]),
        new(C.InvalidBoolean, DiagnosticSeverity.Error, "bedrock", [("coworkTabEnabled", "True")], [("coworkTabEnabled", "true")]),
        new(C.InvalidInteger, DiagnosticSeverity.Error, "bedrock", [("inferenceCredentialHelperTtlSec", "1h")], [("inferenceCredentialHelperTtlSec", "3600")]),
        new(C.InvalidNumber, DiagnosticSeverity.Error, "bedrock", [("inferenceModelPricingMultiplier", "1,2"), ("inferenceModelPricingEnabled", "true")], [("inferenceModelPricingMultiplier", "1.2"), ("inferenceModelPricingEnabled", "true")]),
        new(C.InvalidJson, DiagnosticSeverity.Error, "bedrock", [("coworkEgressAllowedHosts", "[pypi.org]")], [("coworkEgressAllowedHosts", "[\"pypi.org\"]")]),
        new(C.WrongJsonShape, DiagnosticSeverity.Error, "bedrock", [("managedMcpServers", "{\"name\":\"docs\"}")], [("managedMcpServers", "[{\"name\":\"docs\",\"transport\":\"http\",\"url\":\"https://mcp.example.com\"}]")]),
        new(C.InvalidEnumValue, DiagnosticSeverity.Error, "bedrock", [("inferenceBedrockServiceTier", "standard")], [("inferenceBedrockServiceTier", "flex")]),
        new(C.InvalidEnumValue, DiagnosticSeverity.Error, "bedrock", [("inferenceBedrockServiceTier", "Priority")], [("inferenceBedrockServiceTier", "priority")], MessageContains: "priority"),
        new(C.DeprecatedEnumValue, DiagnosticSeverity.Error, "gateway", [("inferenceGatewayAuthScheme", "auto")], [("inferenceGatewayAuthScheme", "bearer")]),
        new(C.DeprecatedEnumValue, DiagnosticSeverity.Warning, "gateway", [("inferenceGatewayAuthScheme", "auto")], [("inferenceGatewayAuthScheme", "x-api-key")], BeforeCutoffDate: true),
        new(C.OutOfRange, DiagnosticSeverity.Error, "bedrock", [("inferenceCredentialHelperTimeoutSec", "601")], [("inferenceCredentialHelperTimeoutSec", "600")]),
        new(C.OutOfRange, DiagnosticSeverity.Error, "bedrock", [("autoUpdaterEnforcementHours", "73")], [("autoUpdaterEnforcementHours", "72")]),
        new(C.OutOfRange, DiagnosticSeverity.Error, "bedrock", [("inferenceTokenWindowHours", "721")], [("inferenceTokenWindowHours", "720")]),
        new(C.TooLong, DiagnosticSeverity.Error, "bedrock", [("deploymentDisplayName", Long61)], [("deploymentDisplayName", Long61[..60])]),
        new(C.EmptyValue, DiagnosticSeverity.Info, "bedrock", [("inferenceBedrockProfile", "")], []),
        new(C.EnumValueNewerThanApp, DiagnosticSeverity.Warning, "bedrock", [("inferenceCredentialKind", "external-idp")], [("inferenceCredentialKind", "static")], App: "2.0.0"),
        new(C.LegacyHeaderForm, DiagnosticSeverity.Error, "bedrock", [("inferenceCustomHeaders", "X-Org-Id=team1")], [("inferenceCustomHeaders", "{\"X-Org-Id\":\"team1\"}")]),
        new(C.LegacyHeaderForm, DiagnosticSeverity.Warning, "bedrock", [("otlpHeaders", "[\"X-Org-Id: team1\"]")], [("otlpHeaders", "{\"X-Org-Id\":\"team1\"}")], BeforeCutoffDate: true),

        // Formats.
        new(C.InvalidUrl, DiagnosticSeverity.Error, "gateway", [("inferenceGatewayBaseUrl", "https://gw example.com")], [("inferenceGatewayBaseUrl", "https://gw.example.com/v1")]),
        new(C.HttpsRequired, DiagnosticSeverity.Error, "gateway", [("inferenceGatewayBaseUrl", "http://gw.example.com")], [("inferenceGatewayBaseUrl", "https://gw.example.com")]),
        new(C.HttpsRequired, DiagnosticSeverity.Error, "bedrock", [("bootstrapUrl", "bootstrap.example.com")], [("bootstrapUrl", "https://bootstrap.example.com")]),
        new(C.UrlCredentials, DiagnosticSeverity.Error, "gateway", [("inferenceGatewayBaseUrl", "https://user:pass@gw.example.com")], [("inferenceGatewayBaseUrl", "https://gw.example.com")]),
        new(C.UrlCredentials, DiagnosticSeverity.Warning, "gateway", [("inferenceGatewayBaseUrl", "https://user:pass@gw.example.com")], [("inferenceGatewayBaseUrl", "https://gw.example.com")], App: "1.30000.0"),
        new(C.InvalidRegion, DiagnosticSeverity.Error, "bedrock", [("inferenceBedrockRegion", "US-WEST-2")], [("inferenceBedrockRegion", "us-east-1")]),
        new(C.RegionPartition, DiagnosticSeverity.Info, "bedrock", [("inferenceBedrockRegion", "us-gov-west-1"), ("inferenceModels", "[\"us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0\"]")], [("inferenceBedrockRegion", "US-GOV-WEST-1")], MessageContains: "aws-us-gov"),
        new(C.InvalidAccountId, DiagnosticSeverity.Error, "bedrock", [("inferenceBedrockSsoAccountId", "12345678901")], [("inferenceBedrockSsoAccountId", "012345678901")]),
        new(C.InvalidUuid, DiagnosticSeverity.Error, "bedrock", [("deploymentOrganizationUuid", "acme-corp")], [("deploymentOrganizationUuid", "0b6f7e3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b")]),
        new(C.PlaceholderUuid, DiagnosticSeverity.Warning, "bedrock", [("deploymentOrganizationUuid", "00000000-0000-4000-8000-000000000001")], [("deploymentOrganizationUuid", "0b6f7e3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b")]),
        new(C.InvalidVertexProject, DiagnosticSeverity.Error, "vertex", [("inferenceVertexProjectId", "My Project")], [("inferenceVertexProjectId", "my-project.example:prod")]),
        new(C.InvalidVertexProject, DiagnosticSeverity.Warning, "vertex", [("inferenceVertexProjectId", "My Project")], [("inferenceVertexProjectId", "my-project")], App: "1.30000.0"),
        new(C.InvalidFoundryResource, DiagnosticSeverity.Error, "foundry", [("inferenceFoundryResource", "Acme_Foundry")], [("inferenceFoundryResource", "acme-foundry-2")]),
        new(C.NotAbsolutePath, DiagnosticSeverity.Error, "bedrock", [("inferenceCredentialHelper", "~/bin/helper")], [("inferenceCredentialHelper", "/usr/local/bin/helper")]),
        new(C.NotAbsolutePath, DiagnosticSeverity.Error, "vertex", [("inferenceVertexCredentialsFile", "%APPDATA%\\gcloud\\sa.json")], [("inferenceVertexCredentialsFile", "C:\\ProgramData\\Claude\\sa.json")]),
        new(C.IssuerWellKnown, DiagnosticSeverity.Error, "gateway", [("inferenceGatewayOidc", "{\"clientId\":\"a\",\"issuer\":\"https://idp.example.com/.well-known/openid-configuration\"}")], [("inferenceGatewayOidc", "{\"clientId\":\"a\",\"issuer\":\"https://idp.example.com\"}")]),
        new(C.OriginHasPath, DiagnosticSeverity.Warning, "bedrock", [("userContentRendererUrl", "https://render.example.com/app")], [("userContentRendererUrl", "https://render.example.com")]),
        new(C.MantleBaseUrlPath, DiagnosticSeverity.Warning, "mantle", [("inferenceBedrockBaseUrl", "https://bedrock-mantle.us-east-1.api.aws")], [("inferenceBedrockBaseUrl", "https://bedrock-mantle.us-east-1.api.aws/anthropic")]),

        // Provider completeness.
        new(C.ProviderMissing, DiagnosticSeverity.Error, "bedrock", [("inferenceProvider", null)], []),
        new(C.ProviderUnknown, DiagnosticSeverity.Error, "bedrock", [("inferenceProvider", "aws")], []),
        new(C.RequiredKeyMissing, DiagnosticSeverity.Error, "bedrock", [("inferenceBedrockRegion", null)], []),
        new(C.RequiredKeyMissing, DiagnosticSeverity.Error, "gateway", [("inferenceGatewayBaseUrl", null)], []),
        new(C.RequiredKeyMissing, DiagnosticSeverity.Error, "vertex", [("inferenceVertexRegion", null)], []),
        new(C.RequiredKeyMissing, DiagnosticSeverity.Error, "foundry", [("inferenceFoundryResource", null)], []),
        new(C.KeyForOtherProvider, DiagnosticSeverity.Info, "bedrock", [("inferenceVertexProjectId", "acme")], []),
        new(C.KeyForOtherProvider, DiagnosticSeverity.Info, "mantle", [("inferenceBedrockServiceTier", "flex")], []),

        // Credentials.
        new(C.NoCredential, DiagnosticSeverity.Error, "bedrock", [("inferenceCredentialKind", null), ("inferenceBedrockBearerToken", null)], [("inferenceCredentialKind", null)], MessageContains: "no credential configured for provider \"bedrock\""),
        new(C.NoCredential, DiagnosticSeverity.Error, "gateway", [("inferenceCredentialKind", null), ("inferenceGatewayApiKey", null)], [("inferenceCredentialKind", null)]),
        new(C.MultipleCredentials, DiagnosticSeverity.Warning, "bedrock", [("inferenceCredentialKind", null), ("inferenceBedrockProfile", "claude")], [("inferenceCredentialKind", null)]),
        new(C.SsoPartial, DiagnosticSeverity.Warning, "bedrock", [("inferenceBedrockSsoStartUrl", "https://d-1234567890.awsapps.com/start"), ("inferenceBedrockSsoRegion", "us-east-1")], []),
        new(C.SsoPartial, DiagnosticSeverity.Error, "bedrock", [("inferenceCredentialKind", "interactive"), ("inferenceBedrockSsoStartUrl", "https://d-1234567890.awsapps.com/start")],
            [("inferenceCredentialKind", "interactive"), ("inferenceBedrockSsoStartUrl", "https://d-1234567890.awsapps.com/start"), ("inferenceBedrockSsoRegion", "us-east-1"), ("inferenceBedrockSsoAccountId", "123456789012"), ("inferenceBedrockSsoRoleName", "BedrockInference")],
            MessageContains: "inferenceBedrockSsoAccountId"),
        new(C.KindNotValidForProvider, DiagnosticSeverity.Error, "mantle", [("inferenceCredentialKind", "vendor-profile")], [("inferenceCredentialKind", "static")]),
        new(C.KindSourceMissing, DiagnosticSeverity.Error, "bedrock", [("inferenceCredentialKind", "vendor-profile")], [("inferenceCredentialKind", "vendor-profile"), ("inferenceBedrockProfile", "claude")], MessageContains: "no fallback"),
        new(C.VertexOAuthPairIncomplete, DiagnosticSeverity.Warning, "vertex", [("inferenceVertexOAuthClientId", "123.apps.googleusercontent.com")], [("inferenceVertexOAuthClientId", "123.apps.googleusercontent.com"), ("inferenceVertexOAuthClientSecret", "GOCSPX-secret")]),
        new(C.GatewayApiKeyEmpty, DiagnosticSeverity.Error, "gateway", [("inferenceGatewayApiKey", "")], [("inferenceGatewayApiKey", "placeholder")]),
        new(C.KindNotSet, DiagnosticSeverity.Info, "bedrock", [("inferenceCredentialKind", null)], []),
        new(C.ExternalIdpNeedsBaseUrl, DiagnosticSeverity.Error, "bedrock", [("inferenceCredentialKind", "external-idp"), ("inferenceIdpOidc", "{\"clientId\":\"a\",\"issuer\":\"https://idp.example.com\"}")],
            [("inferenceCredentialKind", "external-idp"), ("inferenceIdpOidc", "{\"clientId\":\"a\",\"issuer\":\"https://idp.example.com\"}"), ("inferenceBedrockBaseUrl", "https://proxy.example.com")]),
        new(C.VertexInteractiveWithWorkforce, DiagnosticSeverity.Error, "vertex",
            [("inferenceCredentialKind", "interactive"), ("inferenceVertexWorkforceAudience", "//iam.googleapis.com/locations/global/workforcePools/p/providers/x"), ("inferenceVertexWorkforceOidc", "{\"clientId\":\"a\",\"issuer\":\"https://idp.example.com\"}")],
            [("inferenceCredentialKind", "workforce"), ("inferenceVertexWorkforceAudience", "//iam.googleapis.com/locations/global/workforcePools/p/providers/x"), ("inferenceVertexWorkforceOidc", "{\"clientId\":\"a\",\"issuer\":\"https://idp.example.com\"}")]),

        // Models.
        new(C.ModelsRequired, DiagnosticSeverity.Error, "bedrock", [("inferenceCredentialKind", "vendor-profile"), ("inferenceBedrockProfile", "claude"), ("inferenceModels", null)], [("inferenceModels", null)]),
        new(C.ModelsRequired, DiagnosticSeverity.Error, "mantle", [("inferenceModels", null)], []),
        new(C.NotBedrockModelId, DiagnosticSeverity.Warning, "bedrock", [("inferenceModels", "[\"claude-sonnet-4\"]")], [("inferenceModels", "[\"global.anthropic.claude-sonnet-4-5-20250929-v1:0\"]")]),
        new(C.ArnWithoutLabel, DiagnosticSeverity.Warning, "bedrock", [("inferenceModels", "[\"arn:aws:bedrock:us-west-2:123456789012:application-inference-profile/abc123\"]")],
            [("inferenceModels", "[{\"name\":\"arn:aws:bedrock:us-west-2:123456789012:application-inference-profile/abc123\",\"labelOverride\":\"Sonnet (team)\"}]")], MessageContains: "labelOverride"),
        new(C.ArnWithoutLabel, DiagnosticSeverity.Warning, "bedrock", [("inferenceModels", "[\"arn:aws:bedrock:us-west-2:123456789012:provisioned-model/pt1234\"]")],
            [("inferenceModels", "[{\"name\":\"arn:aws:bedrock:us-west-2:123456789012:provisioned-model/pt1234\",\"labelOverride\":\"Sonnet (reserved)\"}]")]),
        new(C.ModelRegionMismatch, DiagnosticSeverity.Warning, "bedrock", [("inferenceModels", "[\"eu.anthropic.claude-sonnet-4-20250514-v1:0\"]")], [("inferenceModels", "[\"us.anthropic.claude-sonnet-4-20250514-v1:0\"]")]),
        new(C.ModelRegionMismatch, DiagnosticSeverity.Warning, "bedrock", [("inferenceModels", "[{\"name\":\"arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc\",\"labelOverride\":\"x\"}]")],
            [("inferenceModels", "[{\"name\":\"arn:aws:bedrock:us-west-2:123456789012:application-inference-profile/abc\",\"labelOverride\":\"x\"}]")]),
        new(C.FoundationIdWithoutProfile, DiagnosticSeverity.Warning, "bedrock", [("inferenceModels", "[\"anthropic.claude-sonnet-4-20250514-v1:0\"]")], [], MessageContains: "us.anthropic.claude-sonnet-4-20250514-v1:0"),
        new(C.UnknownGeoPrefix, DiagnosticSeverity.Error, "bedrock", [("inferenceModels", "[\"usa.anthropic.claude-sonnet-4-20250514-v1:0\"]")], [], MessageContains: "us.anthropic"),
        new(C.ModelEntryInvalid, DiagnosticSeverity.Error, "bedrock", [("inferenceModels", "[{\"labelOverride\":\"Sonnet\"}]")], [("inferenceModels", "[{\"name\":\"us.anthropic.claude-sonnet-4-20250514-v1:0\",\"labelOverride\":\"Sonnet\"}]")]),
        new(C.Prefer1mWithoutSupports1m, DiagnosticSeverity.Warning, "bedrock", [("inferenceModels", "[{\"name\":\"us.anthropic.claude-sonnet-4-20250514-v1:0\",\"prefer1m\":true}]")],
            [("inferenceModels", "[{\"name\":\"us.anthropic.claude-sonnet-4-20250514-v1:0\",\"prefer1m\":true,\"supports1m\":true}]")]),
        new(C.UnknownFamilyTier, DiagnosticSeverity.Warning, "gateway", [("inferenceModels", "[{\"name\":\"corp-model\",\"anthropicFamilyTier\":\"large\"}]")], [("inferenceModels", "[{\"name\":\"corp-model\",\"anthropicFamilyTier\":\"sonnet\"}]")]),
        new(C.DuplicateModel, DiagnosticSeverity.Warning, "gateway", [("inferenceModels", "[\"claude-sonnet-4\",\"claude-sonnet-4\"]")], [("inferenceModels", "[\"claude-sonnet-4\",\"claude-opus-4\"]")]),
        new(C.DiscoveryOffWithAlias, DiagnosticSeverity.Warning, "gateway", [("inferenceModels", "[\"sonnet\"]"), ("modelDiscoveryEnabled", "false")], [("inferenceModels", "[\"sonnet\"]")]),

        // Cross-key and JSON documents.
        new(C.TokenCapNeedsWindow, DiagnosticSeverity.Warning, "bedrock", [("inferenceMaxTokensPerWindow", "1000000")], [("inferenceMaxTokensPerWindow", "1000000"), ("inferenceTokenWindowHours", "24")]),
        new(C.PricingNeedsEnabled, DiagnosticSeverity.Warning, "bedrock", [("inferenceModelPricingMultiplier", "1.2")], [("inferenceModelPricingMultiplier", "1.2"), ("inferenceModelPricingEnabled", "true")]),
        new(C.ChatFeatureNeedsChatTab, DiagnosticSeverity.Warning, "bedrock", [("chatAdvancedFileAnalysisEnabled", "true")], [("chatAdvancedFileAnalysisEnabled", "true"), ("chatTabEnabled", "true")]),
        new(C.AllTabsOff, DiagnosticSeverity.Warning, "bedrock", [("coworkTabEnabled", "false"), ("isClaudeCodeForDesktopEnabled", "false")], [("coworkTabEnabled", "false"), ("isClaudeCodeForDesktopEnabled", "false"), ("chatTabEnabled", "true")]),
        new(C.ToolSearchOnVertex, DiagnosticSeverity.Error, "vertex", [("toolSearchEnabled", "true")], [("toolSearchEnabled", "false")]),
        new(C.McpHeadersAndOauth, DiagnosticSeverity.Error, "bedrock", [("managedMcpServers", "[{\"name\":\"a\",\"transport\":\"http\",\"url\":\"https://m.example.com\",\"headers\":{\"Authorization\":\"Bearer x\"},\"oauth\":true}]")],
            [("managedMcpServers", "[{\"name\":\"a\",\"transport\":\"http\",\"url\":\"https://m.example.com\",\"oauth\":true}]")]),
        new(C.McpServerInvalid, DiagnosticSeverity.Error, "bedrock", [("managedMcpServers", "[{\"name\":\"a\",\"transport\":\"http\",\"url\":\"http://m.example.com\"}]")], [("managedMcpServers", "[{\"name\":\"a\",\"transport\":\"http\",\"url\":\"https://m.example.com\"}]")]),
        new(C.McpServerInvalid, DiagnosticSeverity.Error, "bedrock", [("managedMcpServers", "[{\"name\":\"a\",\"transport\":\"stdio\",\"command\":\"node\"}]")], [("managedMcpServers", "[{\"name\":\"a\",\"transport\":\"stdio\",\"command\":\"/usr/bin/node\"}]")]),
        new(C.McpDeprecatedForm, DiagnosticSeverity.Error, "bedrock", [("managedMcpServers", "[{\"name\":\"a\",\"url\":\"https://m.example.com\"}]")], [("managedMcpServers", "[{\"name\":\"a\",\"transport\":\"http\",\"url\":\"https://m.example.com\"}]")]),
        new(C.WorkspaceFolderVariable, DiagnosticSeverity.Warning, "bedrock", [("allowedWorkspaceFolders", "[{\"path\":\"%USERPROFILE%\\\\Claude\"}]")], [("allowedWorkspaceFolders", "[{\"path\":\"%OneDrive%\\\\Claude\"}]")]),
        new(C.BannerInvalid, DiagnosticSeverity.Error, "bedrock", [("banner", "{\"enabled\":true,\"backgroundColor\":\"red\"}")], [("banner", "{\"enabled\":true,\"text\":\"Internal\",\"backgroundColor\":\"#FF0000\"}")]),
        new(C.OidcInvalid, DiagnosticSeverity.Error, "gateway", [("inferenceGatewayOidc", "{\"issuer\":\"https://idp.example.com\",\"bearerTokenType\":\"access_token\"}")], [("inferenceGatewayOidc", "{\"clientId\":\"a\",\"issuer\":\"https://idp.example.com\",\"bearerTokenType\":\"access_token\",\"scopes\":\"api://gw/.default\"}")]),
        new(C.ToolPolicyInvalid, DiagnosticSeverity.Error, "bedrock", [("builtinToolPolicy", "{\"Bash\":\"blocked\"}")], [("builtinToolPolicy", "{\"Bash\":\"ask\",\"Bash(curl *)\":\"allow\"}")]),
        new(C.OrgPluginRecordForm, DiagnosticSeverity.Error, "bedrock", [("orgPluginSettings", "{\"mcpServers\":{}}")], [("orgPluginSettings", "[{\"serverName\":\"s\",\"tools\":[{\"toolName\":\"t\",\"permission\":\"allow\"}]}]")]),
        new(C.EgressHostInvalid, DiagnosticSeverity.Warning, "bedrock", [("coworkEgressAllowedHosts", "[\"https://pypi.org/simple\"]")], [("coworkEgressAllowedHosts", "[\"pypi.org\",\"*.example.com\"]")]),
        new(C.SubtitleWithoutName, DiagnosticSeverity.Info, "bedrock", [("deploymentDisplaySubtitle", "Engineering")], [("deploymentDisplaySubtitle", "Engineering"), ("deploymentDisplayName", "Acme Claude")]),
        new(C.BrokerNeedsEntraIssuer, DiagnosticSeverity.Error, "gateway",
            [("inferenceGatewayOidcAuthFlow", "broker"), ("inferenceGatewayOidc", "{\"clientId\":\"a\",\"issuer\":\"https://acme.okta.com\"}")],
            [("inferenceGatewayOidcAuthFlow", "broker"), ("inferenceGatewayOidc", "{\"clientId\":\"a\",\"issuer\":\"https://login.microsoftonline.com/0b6f7e3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b/v2.0\"}")]),
        new(C.WorkspaceFolderInvalid, DiagnosticSeverity.Error, "bedrock", [("allowedWorkspaceFolders", "[{\"path\":\"~/Claude\",\"mode\":\"readonly\"}]")], [("allowedWorkspaceFolders", "[{\"path\":\"~/Claude\",\"mode\":\"ro\"}]")]),
    ];

    public static TheoryData<int> CaseIndexes() => new(Enumerable.Range(0, Cases.Length));

    [Theory]
    [MemberData(nameof(CaseIndexes))]
    public void Bad_configuration_raises_the_rule_and_good_one_does_not(int index)
    {
        var c = Cases[index];
        var now = c.BeforeCutoffDate ? BeforeCutoff : Today;
        var bad = Validate(With(Base(c.Base), c.Bad), c.App, now);
        var hits = bad.WithCode(c.Code).ToList();
        Assert.True(hits.Count > 0, $"case {index} ({c.Code}): expected {c.Code}; got:{Environment.NewLine}{bad.Dump()}");
        Assert.Contains(hits, d => d.Severity == c.Severity);
        if (c.MessageContains is not null)
        {
            Assert.Contains(hits, d => (d.Message + " " + d.Fix).Contains(c.MessageContains, StringComparison.Ordinal));
        }

        // Every diagnostic names a key or a location, and says how to fix it when it is not informational.
        Assert.All(hits, d => Assert.True(d.Key is not null || d.Location is not null));
        Assert.All(hits.Where(d => d.Severity != DiagnosticSeverity.Info), d => Assert.False(string.IsNullOrWhiteSpace(d.Fix), d.ToString()));

        var good = Validate(With(Base(c.Base), c.Good), c.App, now);
        var goodHits = good.WithCode(c.Code).Where(d => d.Severity == c.Severity).ToList();
        Assert.True(goodHits.Count == 0, $"case {index} ({c.Code}): good configuration still raised:{Environment.NewLine}{good.Dump()}");
    }

    [Theory]
    [InlineData("bedrock")]
    [InlineData("gateway")]
    [InlineData("vertex")]
    [InlineData("foundry")]
    [InlineData("mantle")]
    public void Base_configurations_are_clean_and_enter_third_party_mode(string provider)
    {
        var result = Validate(With(Base(provider)));
        Assert.False(result.HasErrors, result.Dump());
        Assert.DoesNotContain(result.Diagnostics, d => d.Severity == DiagnosticSeverity.Warning);
        Assert.True(result.EntersThirdPartyMode, string.Join("; ", result.NotThirdPartyReasons));
        Assert.Equal(provider, result.Provider?.ToWire());
    }

    [Fact]
    public void Diagnostics_carry_the_file_and_line_of_the_offending_value()
    {
        var result = Validate(With(BedrockConfig, ("inferenceBedrockServiceTier", "fast")));
        var d = Assert.Single(result.WithCode(C.InvalidEnumValue));
        Assert.Equal("managed-settings.json", d.Location!.File);
        Assert.Equal(BedrockConfig.Length + 1, d.Location.Line);
        Assert.Equal("inferenceBedrockServiceTier", d.Key);
        Assert.Contains("flex", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Secret_values_never_appear_in_diagnostics()
    {
        var result = Validate(With(BedrockConfig, ("inferenceBedrockBearerToken", TestConfigs.BearerToken), ("inferenceGatewayApiKey", "sk-gateway-supersecret"),
            ("inferenceBedrockBaseUrl", "https://admin:hunter2@proxy.example.com")));
        var all = result.Dump();
        Assert.DoesNotContain(TestConfigs.BearerToken, all, StringComparison.Ordinal);
        Assert.DoesNotContain("supersecret", all, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", all, StringComparison.Ordinal);
    }
}
