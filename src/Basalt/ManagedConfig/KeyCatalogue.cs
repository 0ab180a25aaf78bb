using System.Collections.Frozen;

namespace Basalt.ManagedConfig;

/// <summary>
/// Every managed-configuration key Claude Desktop on 3P reads (cowork3p-reference §2, §5, §9), as one table.
/// Names are case-sensitive. Since-versions come from the configuration changelog; Baseline means the key
/// predates it. Keys the spec marks [UNCONFIRMED] carry <see cref="KeyDefinition.Unconfirmed"/>.
/// </summary>
public static class KeyCatalogue
{
    /// <summary>
    /// End of the deprecation window of §2.10: October 7, 2026, 12:00 PM Pacific. Pacific daylight time is in
    /// force on that date, so this is 19:00 UTC.
    /// </summary>
    public static readonly DateTimeOffset DeprecationCutoff = new(2026, 10, 7, 12, 0, 0, TimeSpan.FromHours(-7));

    /// <summary>From this date the app shows an in-app deprecation warning (§2.10).</summary>
    public static readonly DateTimeOffset DeprecationWarningStart = new(2026, 9, 10, 0, 0, 0, TimeSpan.FromHours(-7));

    /// <summary>The release that introduced the deprecation schedule; older apps keep reading the old names.</summary>
    public static readonly AppVersion DeprecationScheduleSince = V("1.40609.0");

    /// <summary>The placeholder organization UUID from the docs; it must be replaced (§2.6, §11.5).</summary>
    public const string PlaceholderOrganizationUuid = "00000000-0000-4000-8000-000000000001";

    /// <summary>Keys read by standard (first-party) Claude Desktop deployments only; 3P ignores them (§1.3.7).</summary>
    public static IReadOnlyList<string> StandardDeploymentKeys { get; } = ["forceLoginOrgUUID"];

    /// <summary>Keys a managed source may carry without taking the device over (§1.3.1 exception).</summary>
    public static IReadOnlyList<string> UpdateKeys { get; } = ["disableAutoUpdates", "autoUpdaterEnforcementHours", "updateViaUpdatesHost"];

    /// <summary>Network proxy keys the newest installation page adds to the same exception ([UNCONFIRMED] as a group).</summary>
    public static IReadOnlyList<string> ProxyKeys { get; } = ["egressProxyUrl", "egressProxyPacUrl"];

    /// <summary>The four in-app AWS sign-in keys: all or none (§8).</summary>
    public static IReadOnlyList<string> BedrockSsoKeys { get; } =
        ["inferenceBedrockSsoStartUrl", "inferenceBedrockSsoRegion", "inferenceBedrockSsoAccountId", "inferenceBedrockSsoRoleName"];

    /// <summary>Built-in tool names accepted by <c>disabledBuiltinTools</c> and <c>builtinToolPolicy</c> (§2.4).</summary>
    public static IReadOnlyList<string> BuiltinTools { get; } =
    [
        "Bash", "Read", "Write", "Edit", "Glob", "Grep", "NotebookEdit", "WebFetch", "WebSearch", "Task", "TodoWrite",
        "TaskCreate", "TaskUpdate", "TaskGet", "TaskList", "TaskStop", "Skill", "REPL", "JavaScript", "AskUserQuestion",
        "ToolSearch", "SendUserMessage",
    ];

    // Static initializers run in text order: these must precede All.
    private static readonly InferenceProvider[] BedrockAndMantle = [InferenceProvider.Bedrock, InferenceProvider.Mantle];
    private static readonly InferenceProvider[] Bedrock = [InferenceProvider.Bedrock];
    private static readonly InferenceProvider[] Gateway = [InferenceProvider.Gateway];
    private static readonly InferenceProvider[] Vertex = [InferenceProvider.Vertex];
    private static readonly InferenceProvider[] Foundry = [InferenceProvider.Foundry];
    private static readonly InferenceProvider[] Anthropic = [InferenceProvider.Anthropic];

    public static IReadOnlyList<KeyDefinition> All { get; } = Build();

    private static readonly FrozenDictionary<string, KeyDefinition> ByName = All.ToFrozenDictionary(k => k.Name, StringComparer.Ordinal);

    /// <summary>The definition of <paramref name="name"/> (exact, case-sensitive), or null for an unknown key.</summary>
    public static KeyDefinition? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>Keys relevant to <paramref name="provider"/>: its own keys plus the provider-independent ones.</summary>
    public static IEnumerable<KeyDefinition> ForProvider(InferenceProvider provider) => All.Where(k => k.AppliesTo(provider));

    private static AppVersion V(string text) => AppVersion.Parse(text);

    private static KeyDefinition Bool(string name, KeyCategory category, string? since, string? @default, string description)
        => new(name, ConfigValueType.Boolean, category, description) { Since = since is null ? AppVersion.Baseline : V(since), Default = @default };

    private static KeyDefinition Deprecated(KeyDefinition key, string deprecatedBy, string? replacement, string afterCutoff)
        => key with { DeprecatedBy = V(deprecatedBy), Replacement = replacement, DeprecationCutoff = DeprecationCutoff, AfterCutoff = afterCutoff };

    private static List<KeyDefinition> Build()
    {
        List<KeyDefinition> keys =
        [
            // §2.1 Activation and common inference keys.
            new("inferenceProvider", ConfigValueType.Enum, KeyCategory.Inference,
                "Turns on third-party inference and picks the provider. 3P mode starts only if the provider's required credential keys are present and valid; keys for other providers are ignored.")
            {
                EnumValues = ["anthropic", "gateway", "vertex", "bedrock", "mantle", "foundry"],
            },
            new("inferenceCredentialKind", ConfigValueType.Enum, KeyCategory.Inference,
                "Which credential source to use. When set, only that source is used and there is no fallback; when unset the kind is derived from the credential keys present (§3).")
            {
                EnumValues = ["static", "helper-script", "interactive", "vendor-profile", "workforce", "external-idp", "oauth"],
                EnumValueSince = new Dictionary<string, AppVersion> { ["external-idp"] = V("2.7032.0") },
                DeprecatedEnumValues = new Dictionary<string, string> { ["oauth"] = "interactive" },
                Since = V("1.8555.0"),
            },
            new("inferenceCustomHeaders", ConfigValueType.Object, KeyCategory.Inference,
                "Extra headers (JSON object) on every inference and model-discovery request, for all providers. Routing/tenant values only, never credentials.")
            {
                Format = ValueFormat.HeaderMap, Since = V("1.8089.0"), RenamedFrom = "inferenceGatewayHeaders",
            },
            Deprecated(new KeyDefinition("inferenceGatewayHeaders", ConfigValueType.Object, KeyCategory.Gateway,
                "Old name of inferenceCustomHeaders (oldest pages: a JSON string array like [\"X-Org-Id: team1\"]).")
            {
                Format = ValueFormat.HeaderMap,
            }, "1.8089.0", "inferenceCustomHeaders", "No custom inference headers are sent."),
            new("inferenceSessionLifetimeSec", ConfigValueType.Integer, KeyCategory.Inference,
                "Caps how long a sign-in stays valid; a re-authenticate banner appears before it expires.")
            {
                Min = 1, Since = V("1.14271.0"),
            },
            new("inferenceStreamIdleTimeoutSec", ConfigValueType.Integer, KeyCategory.Inference,
                "Stream idle timeout in seconds (JSON path inference.streamIdleTimeoutSec). Default and range are not documented.")
            {
                Min = 1, Since = V("1.44121.1"),
            },
            new("inferenceCredentialHelper", ConfigValueType.Path, KeyCategory.Inference,
                "Absolute path to an executable, run with no arguments, that prints a bearer token or {\"token\",\"headers\"} JSON (§4). When set, static credential fields are ignored.")
            {
                Format = ValueFormat.AbsolutePath,
            },
            new("inferenceCredentialHelperTtlSec", ConfigValueType.Integer, KeyCategory.Inference,
                "Cache lifetime of the helper output in seconds. At 120 s or less the per-turn expiry check is skipped.")
            {
                Min = 1, Default = "3600",
            },
            new("inferenceCredentialHelperTimeoutSec", ConfigValueType.Integer, KeyCategory.Inference,
                "Per-run helper timeout in seconds (mid-session refreshes are additionally capped at 20 s).")
            {
                Min = 1, Max = 600, Default = "60", Since = V("1.8089.0"),
            },
            Bool("inferenceCredentialHelperSilentRefreshEnabled", KeyCategory.Inference, "1.10628.0", "true",
                "On a mid-turn rejection, re-run the helper with CLAUDE_HELPER_CONTEXT=mid-session-refresh."),
            new("userContentRendererUrl", ConfigValueType.Url, KeyCategory.Inference,
                "Origin of the artifact-preview iframe (HTTPS origin).")
            {
                Format = ValueFormat.HttpsOrigin, Since = V("1.24012.0"),
            },

            // §2.2 / §5.6 Anthropic.
            new("inferenceAnthropicApiKey", ConfigValueType.String, KeyCategory.Anthropic,
                "Claude API key (sk-ant-…). Newer apps: leave blank for browser sign-in via platform.claude.com.")
            {
                Providers = Anthropic, IsSecret = true, Since = V("1.8089.0"),
            },

            // §2.2 / §5.2 / §5.3 Bedrock and Mantle.
            new("inferenceBedrockRegion", ConfigValueType.String, KeyCategory.Bedrock,
                "AWS region of the Bedrock runtime endpoint, e.g. us-west-2 or us-gov-west-1 (GovCloud switches to FIPS hosts). Mantle: host becomes bedrock-mantle.<region>.api.aws.")
            {
                Providers = BedrockAndMantle, Format = ValueFormat.AwsRegion,
            },
            new("inferenceBedrockBaseUrl", ConfigValueType.Url, KeyCategory.Bedrock,
                "Override of the regional endpoint (PrivateLink/VPC endpoint or proxy). Required for external-idp. Mantle: full SDK base URL including /anthropic.")
            {
                Providers = BedrockAndMantle, Format = ValueFormat.BedrockBaseUrl,
            },
            new("inferenceBedrockBearerToken", ConfigValueType.String, KeyCategory.Bedrock,
                "Bedrock API key. The key's IAM principal needs bedrock:CallWithBearerToken.")
            {
                Providers = BedrockAndMantle, IsSecret = true,
            },
            new("inferenceBedrockProfile", ConfigValueType.String, KeyCategory.Bedrock,
                "AWS named profile from the device's AWS config and credentials files (credential kind vendor-profile).")
            {
                Providers = Bedrock,
            },
            new("inferenceBedrockAwsDir", ConfigValueType.Path, KeyCategory.Bedrock,
                "Directory holding the AWS config and credentials files, if not ~/.aws.")
            {
                Providers = Bedrock, Format = ValueFormat.AbsolutePath,
            },
            new("inferenceBedrockAwsCliPath", ConfigValueType.Path, KeyCategory.Bedrock,
                "Absolute path of the AWS CLI the app runs for aws sso login (named-profile authentication only).")
            {
                Providers = Bedrock, Format = ValueFormat.AbsolutePath, Since = V("1.13576.0"),
            },
            new("inferenceBedrockServiceTier", ConfigValueType.Enum, KeyCategory.Bedrock,
                "Sent as X-Amzn-Bedrock-Service-Tier on every inference request. Unset = on-demand; reserved capacity uses a provisioned-throughput ARN as the model instead.")
            {
                Providers = Bedrock, EnumValues = ["flex", "priority"], Since = V("1.5186.0"),
            },
            new("inferenceBedrockSsoStartUrl", ConfigValueType.Url, KeyCategory.Bedrock,
                "AWS access portal URL (https://d-xxxxxxxxxx.awsapps.com/start). With the three other SSO keys enables in-app AWS sign-in. Changing it signs users out.")
            {
                Providers = Bedrock, Format = ValueFormat.HttpsUrl, Since = V("1.6259.0"),
            },
            new("inferenceBedrockSsoRegion", ConfigValueType.String, KeyCategory.Bedrock,
                "IAM Identity Center home region (often different from the Bedrock region).")
            {
                Providers = Bedrock, Format = ValueFormat.AwsRegion, Since = V("1.6259.0"),
            },
            new("inferenceBedrockSsoAccountId", ConfigValueType.String, KeyCategory.Bedrock,
                "12-digit AWS account ID assigned to users in IAM Identity Center.")
            {
                Providers = Bedrock, Format = ValueFormat.AwsAccountId, Since = V("1.6259.0"),
            },
            new("inferenceBedrockSsoRoleName", ConfigValueType.String, KeyCategory.Bedrock,
                "IAM Identity Center permission-set name granting bedrock:InvokeModel* on the account.")
            {
                Providers = Bedrock, Since = V("1.6259.0"),
            },
            new("inferenceIdpOidc", ConfigValueType.Object, KeyCategory.Bedrock,
                "Identity-provider sign-in for Bedrock behind an authenticating proxy (credential kind external-idp): the user's OIDC token is sent as the bearer to inferenceBedrockBaseUrl.")
            {
                JsonRule = JsonDocumentRule.Oidc,
                Providers = Bedrock, Since = V("2.7032.0"),
            },
            new("inferenceIdpAuthFlow", ConfigValueType.String, KeyCategory.Bedrock,
                "Sign-in flow for inferenceIdpOidc. Allowed values are not documented.")
            {
                Providers = Bedrock, Since = V("2.7032.0"),
            },

            // §2.2 / §5.4 Foundry.
            new("inferenceFoundryResource", ConfigValueType.String, KeyCategory.Foundry,
                "Azure AI Foundry resource name; builds <resource>.services.ai.azure.com.")
            {
                Providers = Foundry, Format = ValueFormat.FoundryResource,
            },
            new("inferenceFoundryApiKey", ConfigValueType.String, KeyCategory.Foundry, "Foundry API key (credential kind static).")
            {
                Providers = Foundry, IsSecret = true,
            },
            new("inferenceFoundryTenantId", ConfigValueType.String, KeyCategory.Foundry,
                "Entra tenant for interactive sign-in (with inferenceFoundryClientId).")
            {
                Providers = Foundry, Since = V("1.9255.0"),
            },
            new("inferenceFoundryClientId", ConfigValueType.String, KeyCategory.Foundry,
                "Entra app registration (public client) for interactive sign-in; needs Azure Cognitive Services user_impersonation and admin consent.")
            {
                Providers = Foundry, Since = V("1.9255.0"),
            },
            new("inferenceFoundryAuthFlow", ConfigValueType.Enum, KeyCategory.Foundry,
                "Entra sign-in flow. device-code needs 1.9255.0+, browser 1.19367.0+, broker is not supported on Linux.")
            {
                Providers = Foundry, EnumValues = ["device-code", "browser", "broker"], Since = V("1.19367.0"),
            },
            new("inferenceFoundryBaseUrl", ConfigValueType.Url, KeyCategory.Foundry,
                "Listed only by a third-party schema dump; not on any Anthropic page.")
            {
                Providers = Foundry, Format = ValueFormat.HttpsUrl, Unconfirmed = true,
            },

            // §2.2 / §5.1 Gateway.
            new("inferenceGatewayBaseUrl", ConfigValueType.Url, KeyCategory.Gateway,
                "Full URL of the gateway endpoint (https://). The app calls /v1/messages under it.")
            {
                Providers = Gateway, Format = ValueFormat.HttpsUrl,
            },
            new("inferenceGatewayApiKey", ConfigValueType.String, KeyCategory.Gateway,
                "Gateway API key (credential kind static). An empty value is not allowed.")
            {
                Providers = Gateway, IsSecret = true,
            },
            new("inferenceGatewayAuthScheme", ConfigValueType.Enum, KeyCategory.Gateway,
                "Header format of the credential: bearer (Authorization: Bearer, default) or x-api-key.")
            {
                Providers = Gateway, EnumValues = ["bearer", "x-api-key", "auto", "sso"], Since = V("1.3036.0"), Default = "bearer",
                DeprecatedEnumValues = new Dictionary<string, string> { ["sso"] = "inferenceCredentialKind: \"interactive\"", ["auto"] = "\"bearer\" (or remove the key)" },
            },
            new("inferenceGatewayOidc", ConfigValueType.Object, KeyCategory.Gateway,
                "External-IdP SSO: {clientId, issuer | authorizationUrl+tokenUrl, scopes, bearerTokenType, appendOfflineAccess, resource, redirectPort, additionalRedirectReferrerHosts}.")
            {
                JsonRule = JsonDocumentRule.Oidc, AuthFlowKey = "inferenceGatewayOidcAuthFlow",
                MalformedConsequence = "A malformed inferenceGatewayOidc makes the app fall back to gateway-as-authorization-server mode (\"server does not advertise device_authorization_endpoint\").",
                Providers = Gateway, Since = V("1.6889.0"),
            },
            new("inferenceGatewayOidcAuthFlow", ConfigValueType.Enum, KeyCategory.Gateway,
                "browser or broker; broker requires an Entra issuer https://login.microsoftonline.com/{tenant-id}/v2.0.")
            {
                Providers = Gateway, EnumValues = ["browser", "broker"], Since = V("1.25927.0"),
            },

            // §2.2 / §5.5 Vertex.
            new("inferenceVertexProjectId", ConfigValueType.String, KeyCategory.Vertex,
                "Google Cloud project ID; must match ^[a-z0-9][a-z0-9.:-]*$ (enforced from v1.40609.0).")
            {
                Providers = Vertex, Format = ValueFormat.VertexProjectId,
            },
            new("inferenceVertexRegion", ConfigValueType.String, KeyCategory.Vertex,
                "Vertex region, e.g. us-east5, europe-west4; global where the model supports it.")
            {
                Providers = Vertex,
            },
            new("inferenceVertexCredentialsFile", ConfigValueType.Path, KeyCategory.Vertex,
                "Absolute path (no ~ or variables) to a service-account, authorized_user or external_account JSON file.")
            {
                Providers = Vertex, Format = ValueFormat.AbsolutePath,
            },
            new("inferenceVertexOAuthClientId", ConfigValueType.String, KeyCategory.Vertex,
                "Desktop-app OAuth client ID for Google sign-in (with inferenceVertexOAuthClientSecret).")
            {
                Providers = Vertex,
            },
            new("inferenceVertexOAuthClientSecret", ConfigValueType.String, KeyCategory.Vertex,
                "Desktop-app OAuth client secret (not confidential per Google, still redacted in reports).")
            {
                Providers = Vertex, IsSecret = true,
            },
            new("inferenceVertexOAuthScopes", ConfigValueType.String, KeyCategory.Vertex, "Space-separated OAuth scopes.")
            {
                Providers = Vertex, Default = "openid email https://www.googleapis.com/auth/cloud-platform",
            },
            new("inferenceVertexOAuthLoginHint", ConfigValueType.String, KeyCategory.Vertex,
                "Login hint for Google sign-in; {username} expands to the OS login name.")
            {
                Providers = Vertex, Since = V("1.12603.0"),
            },
            new("inferenceVertexWorkforceAudience", ConfigValueType.String, KeyCategory.Vertex,
                "Workforce Identity Federation audience (credential kind workforce).")
            {
                Providers = Vertex, Since = V("1.10628.0"),
            },
            new("inferenceVertexWorkforceUserProject", ConfigValueType.String, KeyCategory.Vertex,
                "Quota/billing project for Workforce Identity Federation.")
            {
                Providers = Vertex, Since = V("1.10628.0"),
            },
            new("inferenceVertexWorkforceOidc", ConfigValueType.Object, KeyCategory.Vertex,
                "Workforce IdP: {clientId, issuer | authorizationUrl+tokenUrl, scopes, redirectPort, omitOfflineAccess, additionalRedirectReferrerHosts}.")
            {
                JsonRule = JsonDocumentRule.Oidc, AuthFlowKey = "inferenceVertexWorkforceAuthFlow",
                Providers = Vertex, Since = V("1.10628.0"),
            },
            new("inferenceVertexWorkforceAuthFlow", ConfigValueType.Enum, KeyCategory.Vertex, "Workforce sign-in flow.")
            {
                Providers = Vertex, EnumValues = ["browser", "broker"], Since = V("1.25927.0"),
            },
            new("inferenceVertexBaseUrl", ConfigValueType.Url, KeyCategory.Vertex, "Private Service Connect endpoint (https://).")
            {
                Providers = Vertex, Format = ValueFormat.HttpsUrl,
            },

            // §2.3 / §7 Models.
            new("inferenceModels", ConfigValueType.StringOrObjectArray, KeyCategory.Models,
                "Model list: strings or {name, labelOverride, supports1m, prefer1m, anthropicFamilyTier, isFamilyDefault}. The first entry is the default. Bedrock: inference-profile IDs or ARNs.")
            {
                Availability = KeyAvailability.MdmAndBootstrap,
            },
            Bool("modelDiscoveryEnabled", KeyCategory.Models, "1.8089.0", null,
                "Unset = automatic; true = always call the provider's model list; false = never (the list must hold full IDs)."),
            Bool("modelPrefer1mContext", KeyCategory.Models, "1.28929.0", null,
                "With no saved selection, start the picker on the 1M variant of the default model."),
            Bool("inferenceModelPricingEnabled", KeyCategory.Models, "1.37937.0", null,
                "Shows estimated cost on the Usage page. From v1.44121.1 the other pricing keys apply only while this is true."),
            new("inferenceModelPricingMultiplier", ConfigValueType.Number, KeyCategory.Models, "Multiplier applied to the estimated cost.")
            {
                Min = 0, Since = V("1.37937.0"),
            },
            new("inferenceModelPricing", ConfigValueType.ObjectArray, KeyCategory.Models,
                "Price table: [{name, inputPerMtok, outputPerMtok, cacheReadPerMtok, cacheWritePerMtok}].")
            {
                JsonRule = JsonDocumentRule.ModelPricing,
                Since = V("1.37937.0"),
            },

            // §2.4 Workspace / sandbox policy.
            Bool("disableDeploymentModeChooser", KeyCategory.OrgPolicy, "1.3834.0", "false", "Hides the \"Sign in to Anthropic\" option; any persisted choice is ignored."),
            Bool("disableDeepLinkRegistration", KeyCategory.OrgPolicy, "1.6889.0", "false", "Stops the app registering as the claude:// handler."),
            Bool("coworkTabEnabled", KeyCategory.OrgPolicy, "1.9659.0", "true", "Shows the Cowork tab. At least one of Cowork, Code or Chat must stay on."),
            Bool("isClaudeCodeForDesktopEnabled", KeyCategory.OrgPolicy, null, "true", "Shows the Code tab."),
            Bool("chatTabEnabled", KeyCategory.OrgPolicy, "1.13576.0", "false", "Shows the Chat tab (opt-in; beta until v1.21459.0)."),
            Bool("chatAdvancedFileAnalysisEnabled", KeyCategory.OrgPolicy, "1.14271.0", "false", "Local sandbox reading only the attachments, without network. Needs chatTabEnabled."),
            Bool("chatCodeExecutionEnabled", KeyCategory.OrgPolicy, null, "false", "Older page only. No effect unless chatTabEnabled; forced off if Bash is disabled.") with { Unconfirmed = true },
            Deprecated(Bool("betaFeaturesEnabled", KeyCategory.OrgPolicy, "1.14271.0", "true", "Added and deprecated in v1.14271.0."), "1.14271.0", null, "Ignored.") with { DeprecationCutoff = null },
            new("disabledBuiltinTools", ConfigValueType.EnumArray, KeyCategory.OrgPolicy, "Built-in tools to remove.")
            {
                EnumValues = BuiltinTools, Default = "[]",
            },
            new("builtinToolPolicy", ConfigValueType.Object, KeyCategory.OrgPolicy,
                "Map of tool (or argument-scoped rule such as Bash(curl *), v1.37937.0+) to \"allow\" or \"ask\". \"blocked\" is rejected: use disabledBuiltinTools.")
            {
                JsonRule = JsonDocumentRule.ToolPolicy,
                Default = "{}", Since = V("1.8089.0"),
            },
            Bool("autoModeEnabled", KeyCategory.OrgPolicy, "1.10628.0", "false", "Auto mode; needs a model that supports the safety classifier."),
            Bool("toolSearchEnabled", KeyCategory.OrgPolicy, "1.21459.0", "false", "Sends experimental anthropic-beta headers; a gateway that does not forward them fails with HTTP 400. Not on Vertex."),
            Bool("skillCreationEnabled", KeyCategory.OrgPolicy, "1.25927.0", "true", "Lets users create skills."),
            Bool("disableBundledSkills", KeyCategory.OrgPolicy, "1.15962.0", null, "Hides the bundled skills."),
            new("allowedWorkspaceFolders", ConfigValueType.StringOrObjectArray, KeyCategory.OrgPolicy,
                "Roots users may attach: [] = none; entries are paths (older) or {path, isDefaultSelected, mode: rw|ro} (mode v1.26832.0). ~ and a fixed set of %VAR% expand.")
            {
                JsonRule = JsonDocumentRule.WorkspaceFolders,
            },
            new("coworkEgressAllowedHosts", ConfigValueType.StringArray, KeyCategory.OrgPolicy,
                "Sandbox egress allowlist: exact hosts, *.example.com, [\"*\"]; optional :port on newer builds. The inference and OTLP hosts are always allowed.")
            {
                JsonRule = JsonDocumentRule.EgressHosts,
            },
            Deprecated(Bool("requireCoworkFullVmSandbox", KeyCategory.OrgPolicy, null, "false", "Deprecated at Baseline."), "1.0", null, "Ignored.") with { DeprecatedBy = AppVersion.Baseline, DeprecationCutoff = null },
            Bool("disableBypassPermissionsMode", KeyCategory.OrgPolicy, "1.46388.1", null, "Disables bypass-permissions mode."),
            Bool("blockReadsOutsideWorkingDirectories", KeyCategory.OrgPolicy, "1.46388.1", null, "Blocks reads outside the working directories."),
            new("egressProxyUrl", ConfigValueType.Url, KeyCategory.OrgPolicy, "Network proxy URL. MDM or local file only; a bootstrap value is not applied.")
            {
                Availability = KeyAvailability.Mdm, Format = ValueFormat.AnyUrl, Since = V("1.44121.1"),
            },
            new("egressProxyPacUrl", ConfigValueType.Url, KeyCategory.OrgPolicy, "Proxy auto-config (PAC) URL. MDM or local file only.")
            {
                Availability = KeyAvailability.Mdm, Format = ValueFormat.AnyUrl, Since = V("1.44121.1"),
            },
            Bool("skipWebFetchPreflight", KeyCategory.OrgPolicy, "1.37937.0", null, "Skips the WebFetch preflight check."),
            new("organizationInstructions", ConfigValueType.String, KeyCategory.OrgPolicy, "Instructions added to every session.") { Since = V("1.37937.0") },

            // §2.5 Connectors, extensions, plugins.
            new("managedMcpServers", ConfigValueType.ObjectArray, KeyCategory.Mcp,
                "Managed MCP servers: [{name, url, transport http|sse|stdio, headers | headersHelper | oauth, toolPolicy, command, args, env, ...}].")
            {
                JsonRule = JsonDocumentRule.McpServers,
                Default = "[]",
            },
            new("mcpToolTimeoutSec", ConfigValueType.Integer, KeyCategory.Mcp, "MCP tool call timeout in seconds.") { Min = 1, Since = V("1.37937.0") },
            Bool("isLocalDevMcpEnabled", KeyCategory.Mcp, null, "true", "Lets users add their own local MCP servers."),
            Bool("mcpPersistentAlwaysAllowEnabled", KeyCategory.Mcp, "1.24012.9", "true", "Lets users persist \"always allow\" for MCP tools."),
            Bool("isDesktopExtensionEnabled", KeyCategory.Mcp, null, "false", "Allows desktop extensions (default false from v1.19367.0, true before).") with { RenamedFrom = "isDxtEnabled" },
            Bool("isDesktopExtensionSignatureRequired", KeyCategory.Mcp, null, "false", "Requires signed desktop extensions.") with { RenamedFrom = "isDxtSignatureRequired" },
            Deprecated(Bool("isDxtEnabled", KeyCategory.Mcp, null, null, "Old name of isDesktopExtensionEnabled."), "1.40609.0", "isDesktopExtensionEnabled", "Old name unreadable."),
            Deprecated(Bool("isDxtSignatureRequired", KeyCategory.Mcp, null, null, "Old name of isDesktopExtensionSignatureRequired."), "1.40609.0", "isDesktopExtensionSignatureRequired", "Old name unreadable."),
            new("microsoftAuthBroker", ConfigValueType.Enum, KeyCategory.Mcp, "Use the OS Microsoft authentication broker.")
            {
                EnumValues = ["auto", "disabled"], Default = "auto", Since = V("1.19367.0"),
            },
            new("orgPluginSettings", ConfigValueType.ObjectArray, KeyCategory.Mcp,
                "Plugin MCP tool permissions: [{serverName, tools:[{toolName, permission}]}] (read by 1.15200.0+). The older {\"mcpServers\":{…}} record is deprecated.")
            {
                JsonRule = JsonDocumentRule.OrgPluginSettings,
                Since = V("1.8089.0"),
            },
            new("allowedPluginMarketplaces", ConfigValueType.ObjectArray, KeyCategory.Mcp, "Allowed plugin marketplaces (beta).") { Since = V("1.17377.1") },
            Bool("userPluginMarketplacesEnabled", KeyCategory.Mcp, "1.37937.0", null, "Lets users add plugin marketplaces."),
            Bool("userPluginUploadsEnabled", KeyCategory.Mcp, "1.37937.0", null, "Lets users upload plugins."),
            Deprecated(new KeyDefinition("organizationPluginsUrl", ConfigValueType.Url, KeyCategory.Mcp, "Organization plugins URL.")
            {
                Format = ValueFormat.HttpsUrl, Since = V("1.10628.0"),
            }, "1.25927.0", null, "Ignored.") with { DeprecationCutoff = null },
            new("claudeAiImport", ConfigValueType.Object, KeyCategory.Mcp,
                "Claude.ai import: {enabled, exportEnabled, bannerBehavior: off|detect|show, automatic3pImport}.")
            {
                JsonRule = JsonDocumentRule.ClaudeAiImport,
                Since = V("1.28929.0"),
            },
            new("disableDefaultPlugins", ConfigValueType.Boolean, KeyCategory.Mcp, "Removed in v1.18286.0; the app ignores it.")
            {
                RemovedIn = V("1.18286.0"),
            },

            // §2.6 Telemetry & updates.
            new("deploymentOrganizationUuid", ConfigValueType.String, KeyCategory.Telemetry,
                "Your own UUID; tags telemetry and namespaces local data (changing it orphans sessions, skills and plugins). Not the documentation placeholder.")
            {
                Format = ValueFormat.Uuid,
            },
            Bool("disableEssentialTelemetry", KeyCategory.Telemetry, null, "false", "Stops crash, error and performance reports."),
            Bool("disableNonessentialTelemetry", KeyCategory.Telemetry, null, "false", "Stops product analytics and the diagnostic-report Send action."),
            Bool("disableNonessentialServices", KeyCategory.Telemetry, null, "false", "Stops favicons, the artifact-preview iframe and MCP App widget iframes."),
            Bool("disableAutoUpdates", KeyCategory.Updates, null, "false", "Turns off automatic updates."),
            new("autoUpdaterEnforcementHours", ConfigValueType.Integer, KeyCategory.Updates,
                "Hours before an update is enforced (1–72). Blank = 72 h plus 10 min idle; any explicit value restarts strictly at the end.")
            {
                Min = 1, Max = 72, Default = "72",
            },
            Bool("updateViaUpdatesHost", KeyCategory.Updates, "1.26832.0", "false", "Reads the update feed from releases.claude.com."),
            new("relaunchEnforcementHours", ConfigValueType.Integer, KeyCategory.Updates, "Hours before a relaunch is enforced (nested path lifecycle.relaunchEnforcementHours from v1.46388.1).")
            {
                Min = 1, Default = "24", Since = V("1.40609.0"),
            },
            new("configRecheckIntervalMinutes", ConfigValueType.Integer, KeyCategory.Updates, "How often the app re-reads managed configuration.")
            {
                Min = 1, Since = V("1.46388.1"),
            },

            // §9.1 OpenTelemetry.
            new("otlpEndpoint", ConfigValueType.Url, KeyCategory.Telemetry,
                "OTLP/HTTP base address, e.g. https://otel-collector.example.com:4318; /v1/logs, /v1/metrics, /v1/traces are appended.")
            {
                Format = ValueFormat.AnyUrl,
            },
            new("otlpProtocol", ConfigValueType.Enum, KeyCategory.Telemetry, "OTLP protocol; Cowork falls back from grpc to http/protobuf.")
            {
                EnumValues = ["http/protobuf", "http/json", "grpc"], Default = "http/protobuf",
            },
            new("otlpHeaders", ConfigValueType.Object, KeyCategory.Telemetry, "Routing headers for the collector (not credentials).")
            {
                Format = ValueFormat.HeaderMap,
            },
            new("otlpResourceAttributes", ConfigValueType.Object, KeyCategory.Telemetry, "Extra resource attributes; colliding built-ins are dropped.")
            {
                Format = ValueFormat.HeaderMap, Since = V("1.5354.0"),
            },
            new("otlpDesktopLogLevel", ConfigValueType.Enum, KeyCategory.Telemetry, "Level of the desktop app's own event stream.")
            {
                EnumValues = ["off", "error", "warn", "info", "debug"], Default = "error", Since = V("1.9255.0"),
            },
            new("otlpContentCapture", ConfigValueType.EnumArray, KeyCategory.Telemetry, "Content sent to your collector; empty = all content redacted.")
            {
                EnumValues = ["userPrompts", "assistantResponses", "toolDetails", "toolContent", "rawApiBodies"], Default = "[]", Since = V("1.15962.0"),
            },
            Bool("otlpTracesEnabled", KeyCategory.Telemetry, "1.22209.0", null, "Exports traces (beta)."),
            new("otlpAuthMode", ConfigValueType.Enum, KeyCategory.Telemetry, "inference-credential sends the user's inference bearer to the collector.")
            {
                EnumValues = ["none", "inference-credential"], Since = V("1.30096.1"),
            },
            new("otlpHeadersHelper", ConfigValueType.Path, KeyCategory.Telemetry, "Executable printing a JSON header map for the collector, merged last.")
            {
                Format = ValueFormat.AbsolutePath, Since = V("1.30096.1"),
            },

            // §2.7 Usage limits.
            new("inferenceMaxTokensPerWindow", ConfigValueType.Integer, KeyCategory.UsageLimits,
                "Client-side soft cap on input+output tokens per window; no effect unless inferenceTokenWindowHours is set.")
            {
                Min = 1,
            },
            new("inferenceTokenWindowHours", ConfigValueType.Integer, KeyCategory.UsageLimits, "Tumbling window for the token cap, 1–720 hours.")
            {
                Min = 1, Max = 720,
            },

            // §2.8 Appearance.
            new("banner", ConfigValueType.Object, KeyCategory.Appearance,
                "{enabled, text (≤200, required when enabled), backgroundColor, textColor (#RRGGBB), linkUrl (https)}.")
            {
                JsonRule = JsonDocumentRule.Banner,
                Since = V("1.7196.0"),
            },
            Bool("endUserAttribution", KeyCategory.Appearance, "1.24012.0", "true", "Sets enduser.id in telemetry from the IdP claim or OS login.") with { RenamedFrom = "enduserAttribution" },
            Deprecated(Bool("enduserAttribution", KeyCategory.Appearance, "1.24012.0", null, "Old name of endUserAttribution."), "1.25927.0", "endUserAttribution", "Reads false."),
            new("deploymentDisplayName", ConfigValueType.String, KeyCategory.Appearance, "Deployment name shown in the app.") { MaxLength = 60 },
            new("deploymentDisplaySubtitle", ConfigValueType.String, KeyCategory.Appearance, "Subtitle shown under the name (only if a name is set).") { MaxLength = 60 },
            Bool("disableFeatureDiscovery", KeyCategory.Appearance, "1.21459.0", "false", "Hides feature-discovery prompts."),
            Bool("disableConfigDeprecationWarnings", KeyCategory.Appearance, "1.40609.0", null, "Hides the in-app deprecation warning (except the final 24-hour reminder)."),

            // §2.9 Bootstrap.
            new("bootstrapUrl", ConfigValueType.Url, KeyCategory.Bootstrap, "Bootstrap server URL (https); setting it enables bootstrap.")
            {
                Availability = KeyAvailability.Mdm, Format = ValueFormat.HttpsUrl,
            },
            Bool("bootstrapEnabled", KeyCategory.Bootstrap, null, "true", "Turns bootstrap on or off.") with { Availability = KeyAvailability.Mdm },
            new("bootstrapOidc", ConfigValueType.Object, KeyCategory.Bootstrap,
                "{clientId, issuer | authorizationUrl+tokenUrl, scopes, redirectPort, additionalRedirectReferrerHosts}; omitted = device-code against the bootstrap origin.")
            {
                JsonRule = JsonDocumentRule.Oidc,
                Availability = KeyAvailability.Mdm,
            },
            new("bootstrapHeaders", ConfigValueType.Object, KeyCategory.Bootstrap, "Headers sent to the bootstrap server.")
            {
                Availability = KeyAvailability.Mdm, Format = ValueFormat.HeaderMap, Since = V("1.32885.1"),
            },
            new("bootstrapHeadersHelper", ConfigValueType.Path, KeyCategory.Bootstrap, "Executable printing headers for the bootstrap server.")
            {
                Availability = KeyAvailability.Mdm, Format = ValueFormat.AbsolutePath, Since = V("1.32885.1"),
            },
            Bool("trustBootstrapDelivery", KeyCategory.Bootstrap, null, "false", "Skips the consent prompt for executables delivered by bootstrap.")
                with { Availability = KeyAvailability.Mdm, RenamedFrom = "trustBootstrapLocalExec" },
            Deprecated(Bool("trustBootstrapLocalExec", KeyCategory.Bootstrap, null, null, "Old name of trustBootstrapDelivery.") with { Availability = KeyAvailability.Mdm },
                "1.40609.0", "trustBootstrapDelivery", "Reads false."),
        ];
        return keys;
    }
}
