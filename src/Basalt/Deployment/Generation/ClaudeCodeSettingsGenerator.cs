using Basalt.Diagnostics.Reading;
using System.Text.Json;
using Basalt.Credentials.Cli;
using Basalt.Deployment.Planning;
using Basalt.Diagnostics;
using Basalt.ManagedConfig;

namespace Basalt.Deployment.Generation;

/// <summary>
/// Claude Code's <c>managed-settings.json</c> for the same deployment (seed 004, bedrock-and-clients §5): Bedrock
/// mode with region, profile and model variables, <c>awsAuthRefresh</c>/<c>awsCredentialExport</c> wired to the
/// sign-in the group uses, or the gateway in Bedrock or Anthropic mode. Written per platform because the
/// credential helper's path differs. The file holds a secret (and is 0600) only for bearer tokens and static
/// gateway keys.
/// </summary>
public sealed class ClaudeCodeSettingsGenerator : IArtifactGenerator
{
    public string Name => "claude-code";

    public void Generate(ArtifactContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var group in context.Plan.Groups.Where(g => g.Group.ClaudeCode.Enabled))
        {
            foreach (var platform in group.Group.Platforms)
            {
                var (json, secret) = Build(group, platform, context);
                context.Add($"{ArtifactContext.Folder(group, platform)}/claude-code/managed-settings.json", json, secret);
            }
        }
    }

    /// <param name="served">
    /// The copy Basalt's gateway serves at <c>/managed/settings</c> to a client that already holds a gateway
    /// credential: no secret value and no command line (its paths are per platform); the rest as on disk.
    /// </param>
    internal static (string Json, bool Secret) Build(GroupPlan plan, DeploymentPlatform platform, ArtifactContext? context, bool served = false)
    {
        var group = plan.Group;
        var auth = group.Auth;
        var env = new List<KeyValuePair<string, FieldValue?>>();
        string? refresh = null;
        string? export = null;
        string? apiKeyHelper = null;
        string? gatewaySignIn = null;
        var secret = false;
        void Env(string name, string? value, bool isSecret = false)
        {
            if (value is not null && !(served && isSecret))
            {
                env.Add(new(name, new FieldValue(value, auth.Location, isSecret)));
                secret |= isSecret;
            }
        }

        var bedrockMode = group.Provider == InferenceProvider.Bedrock || group.ClaudeCode.GatewayMode == GatewayClientMode.Bedrock;
        if (bedrockMode)
        {
            Env("CLAUDE_CODE_USE_BEDROCK", "1");
            Env("AWS_REGION", group.Aws?.Region.Value);
        }

        if (group.Provider == InferenceProvider.Bedrock)
        {
            Env("ANTHROPIC_BEDROCK_BASE_URL", group.Aws!.BaseUrl?.Value);
            switch (auth.Approach)
            {
                case AuthApproach.BearerToken:
                    Env("AWS_BEARER_TOKEN_BEDROCK", auth.BearerToken!.Value, isSecret: true);
                    break;
                case AuthApproach.AwsSignIn:
                    // Claude Code has no in-app sign-in; it shares the AWS CLI's IAM Identity Center cache through
                    // the profile of aws/config, and runs 'aws sso login' when the credentials expire (seed 004).
                    Env("AWS_PROFILE", auth.Sso!.ProfileName);
                    refresh = CommandLine.Build(platform, "aws", "sso", "login", "--profile", auth.Sso.ProfileName);
                    break;
                case AuthApproach.NamedProfile:
                    var profile = auth.Profile!;
                    Env("AWS_PROFILE", profile.Name.Value);
                    if (profile.AwsDir is not null)
                    {
                        Env("AWS_CONFIG_FILE", JoinPath(platform, profile.AwsDir.Value, "config"));
                        Env("AWS_SHARED_CREDENTIALS_FILE", JoinPath(platform, profile.AwsDir.Value, "credentials"));
                    }

                    if (profile.Sso is not null)
                    {
                        refresh = CommandLine.Build(platform, profile.AwsCliPath?.Value ?? "aws", "sso", "login", "--profile", profile.Name.Value);
                    }

                    break;
                case AuthApproach.CredentialHelper:
                    var helper = auth.Helper!;
                    var path = helper.InstallPaths[platform];
                    Env("AWS_PROFILE", helper.ProfileName);
                    refresh = CommandLine.Build(platform, path, CredentialVerbNames.Login, "--profile", helper.ProfileName);
                    export = CommandLine.Build(platform, path, CredentialVerbNames.ClaudeCode, "--profile", helper.ProfileName);
                    break;
            }
        }
        else
        {
            var gateway = auth.Gateway!;
            if (bedrockMode)
            {
                // The gateway holds the AWS credentials, so Claude Code must not sign requests (bedrock-and-clients §5).
                Env("ANTHROPIC_BEDROCK_BASE_URL", gateway.BaseUrl.Value);
                Env("CLAUDE_CODE_SKIP_BEDROCK_AUTH", "1");
                if (gateway.ApiKey is not null)
                {
                    var header = gateway.AuthScheme == "x-api-key" ? $"x-api-key: {gateway.ApiKey.Value}" : $"Authorization: Bearer {gateway.ApiKey.Value}";
                    Env("ANTHROPIC_CUSTOM_HEADERS", header, isSecret: true);
                }
                else
                {
                    context?.Report(new Diagnostic(DiagnosticSeverity.Warning, DeploymentDiagnosticCodes.ConflictingSettings,
                        $"group '{group.Name}': Claude Code in Bedrock mode cannot fetch a gateway credential by sign-in or helper; its requests reach the gateway without one",
                        "claudeCode.gatewayMode", auth.Location, "set 'claudeCode.gatewayMode: anthropic' (uses apiKeyHelper) or give the gateway an apiKey"));
                }
            }
            else if (gateway.GatewaySignIn)
            {
                // Claude Code signs in to the gateway itself when a settings file pins it (forceLoginMethod +
                // forceLoginGatewayUrl; an environment variable never starts it): RFC 8414 metadata, the device grant,
                // then /managed/settings from the gateway (docs/claude-code-gateway-signin.md, proven by
                // ClaudeCodeGatewaySignInTests). Its requests then go to that gateway with the gateway's own token.
                gatewaySignIn = gateway.BaseUrl.Value;
            }
            else
            {
                Env("ANTHROPIC_BASE_URL", gateway.BaseUrl.Value);
                if (gateway.ApiKey is not null)
                {
                    Env(gateway.AuthScheme == "x-api-key" ? "ANTHROPIC_API_KEY" : "ANTHROPIC_AUTH_TOKEN", gateway.ApiKey.Value, isSecret: true);
                }
                else if (gateway.UseHelper)
                {
                    apiKeyHelper = CommandLine.Build(platform, auth.Helper!.InstallPaths[platform]);
                }
                else
                {
                    context?.Report(new Diagnostic(DiagnosticSeverity.Warning, DeploymentDiagnosticCodes.ConflictingSettings,
                        $"group '{group.Name}': Claude Code cannot sign in to the gateway's IdP itself; it gets no gateway credential",
                        "auth.gateway.oidc", auth.Location, "also deploy the credential helper ('useHelper: true') or a per-user API key for Claude Code"));
                }
            }
        }

        if (group.Provider == InferenceProvider.Gateway && auth.Gateway!.Telemetry)
        {
            // Claude Code's OTLP export to the gateway's own ingest (/v1/logs, /v1/metrics; issue 10 item 9), which
            // authenticates it like any other call: the static key goes in the exporter's headers.
            var gateway = auth.Gateway;
            Env("CLAUDE_CODE_ENABLE_TELEMETRY", "1");
            Env("OTEL_METRICS_EXPORTER", "otlp");
            Env("OTEL_LOGS_EXPORTER", "otlp");
            Env("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
            Env("OTEL_EXPORTER_OTLP_ENDPOINT", gateway.BaseUrl.Value);
            if (gateway.ApiKey is not null)
            {
                Env("OTEL_EXPORTER_OTLP_HEADERS", gateway.AuthScheme == "x-api-key" ? $"x-api-key={gateway.ApiKey.Value}" : $"Authorization=Bearer {gateway.ApiKey.Value}", isSecret: true);
            }
            else if (!served)
            {
                context?.Report(new Diagnostic(DiagnosticSeverity.Warning, DeploymentDiagnosticCodes.ConflictingSettings,
                    $"group '{group.Name}': Claude Code's OTLP export cannot carry a gateway sign-in token, so the gateway refuses it; Claude Desktop's export is authenticated (otlpAuthMode)",
                    "auth.gateway.telemetry", auth.Location, "give Claude Code a per-user gateway key, or accept that only Claude Desktop's telemetry reaches the gateway"));
            }
        }

        AddModels(group, Env);
        foreach (var (name, value) in group.ClaudeCode.Env)
        {
            var index = env.FindIndex(e => e.Key == name);
            if (index >= 0)
            {
                context?.Report(new Diagnostic(DiagnosticSeverity.Warning, DeploymentDiagnosticCodes.ConflictingSettings,
                    $"group '{group.Name}': claudeCode.env.{name} replaces the value Basalt generates", $"claudeCode.env.{name}", value.Location,
                    "remove it unless the override is intended"));
                env.RemoveAt(index);
            }

            if (served && value.IsSecret)
            {
                continue;
            }

            env.Add(new(name, value));
            secret |= value.IsSecret;
        }

        if (served)
        {
            refresh = export = apiKeyHelper = gatewaySignIn = null;
        }

        var json = GeneratedJson.Write(w =>
        {
            w.WriteStartObject();
            if (refresh is not null)
            {
                w.WriteString("awsAuthRefresh", refresh);
            }

            if (export is not null)
            {
                w.WriteString("awsCredentialExport", export);
            }

            if (apiKeyHelper is not null)
            {
                w.WriteString("apiKeyHelper", apiKeyHelper);
            }

            if (gatewaySignIn is not null)
            {
                w.WriteString("forceLoginMethod", "gateway");
                w.WriteString("forceLoginGatewayUrl", gatewaySignIn);
            }

            w.WriteStartObject("env");
            foreach (var (name, value) in env)
            {
                w.WriteString(name, value!.Value);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        });
        return (json, secret);
    }

    /// <summary>
    /// <c>ANTHROPIC_MODEL</c> is the group's first (default) model; the per-family defaults are the first model
    /// of each family, or the one marked <c>familyDefault</c>.
    /// </summary>
    private static void AddModels(DeploymentGroup group, Action<string, string?, bool> env)
    {
        if (group.Models.Count == 0)
        {
            return;
        }

        env("ANTHROPIC_MODEL", group.Models[0].ResolvedId, false);
        // The per-family settings Claude Code reads (ANTHROPIC_DEFAULT_OPUS_MODEL…) are catalogue data.
        foreach (var (family, variable) in group.ModelCatalogue.ClaudeCodeModelVariables)
        {
            var members = group.Models.Where(m => m.Family == family).ToList();
            var chosen = members.FirstOrDefault(m => m.IsFamilyDefault == true) ?? members.FirstOrDefault();
            env(variable, chosen?.ResolvedId, false);
        }
    }

    private static string JoinPath(DeploymentPlatform platform, string directory, string file)
    {
        var separator = platform == DeploymentPlatform.Windows ? '\\' : '/';
        return directory.TrimEnd('/', '\\') + separator + file;
    }
}
