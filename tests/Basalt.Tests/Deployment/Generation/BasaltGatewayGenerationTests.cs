using System.Text;
using System.Text.Json.Nodes;
using Basalt.Deployment;
using Basalt.Deployment.Generation;
using Basalt.Deployment.Secrets;
using Basalt.Gateway.Configuration;
using Basalt.Gateway.Deployment;
using Basalt.ManagedConfig;
using Basalt.Testing;

namespace Basalt.Tests.Deployment.Generation;

/// <summary>
/// <c>basalt deploy generate</c> for groups on Basalt's own gateway (issue 8 item 9, issue 9 item 6, issue 10 item 9):
/// the gateway's own configuration file from the same deployment file (a group per deployment group, its models
/// and managed settings, the section's issuers and keys), each group's Claude Desktop keys for its sign-in and
/// Claude Code settings in its mode, telemetry to the gateway when asked, and file:line errors when the devices
/// and the gateway disagree.
/// </summary>
public sealed class BasaltGatewayGenerationTests
{
    private static readonly ValidationOptions FixedDate = new() { Now = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero) };

    private static DeploymentGenerationResult Generate(TempDirectory secrets)
    {
        var result = new DeploymentGenerator(validation: FixedDate).Generate(DeploymentTestInput.Example("basalt-gateway.yaml", secrets));
        Assert.True(result.Success, string.Join('\n', result.Diagnostics));
        return result;
    }

    private static string Text(DeploymentGenerationResult result, string path)
        => Encoding.UTF8.GetString(Assert.Single(result.Artifacts, a => a.RelativePath == path).Content.Span);

    [Fact]
    public void The_gateways_own_file_has_a_group_per_deployment_group_with_its_models_and_is_read_back_by_the_gateway()
    {
        using var secrets = new TempDirectory("deploy");
        var result = Generate(secrets);
        var yaml = Text(result, GatewayConfigGenerator.RelativePath);

        var read = GatewayConfigReader.Parse(yaml, "gateway.yaml", new SecretReferenceResolver(secrets.Path, _ => null));

        Assert.True(read.Options is not null, string.Join('\n', read.Diagnostics) + "\n" + yaml);
        var groups = read.Options.Groups;
        Assert.Equal(["business", "engineering", "service"], groups.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["claude-sonnet-5-5", "claude-haiku-5-5"], groups["business"].Models);
        Assert.Equal(["claude-opus-5-5", "claude-sonnet-5-5", "claude-haiku-5-5"], groups["engineering"].Models);
        Assert.Equal(["claude-haiku-5-5"], groups["service"].Models);

        // The section's issuer with its group mapping, the key by hash, the upstream's per-user AssumeRole: kept.
        Assert.Equal("https://login.acme.example", Assert.Single(read.Options.Identity.Issuers).Issuer);
        Assert.Equal(["service"], Assert.Single(read.Options.ApiKeys).Groups);
        Assert.NotNull(read.Options.Upstreams["us-east"].AssumeRole);

        // No device secret travels into the gateway's file.
        Assert.DoesNotContain(DeploymentTestInput.GatewayKey, yaml, StringComparison.Ordinal);
        Assert.False(Assert.Single(result.Artifacts, a => a.RelativePath == GatewayConfigGenerator.RelativePath).ContainsSecret);
    }

    [Fact]
    public void Each_group_with_claude_code_gets_its_settings_served_by_the_gateway_without_secrets_or_commands()
    {
        using var secrets = new TempDirectory("deploy");
        var result = Generate(secrets);
        var read = GatewayConfigReader.Parse(Text(result, GatewayConfigGenerator.RelativePath), "gateway.yaml", new SecretReferenceResolver(secrets.Path, _ => null)).Options!;

        Assert.Null(read.Groups["business"].ManagedSettings);
        var service = JsonNode.Parse(read.Groups["service"].ManagedSettings!)!;
        Assert.Equal("1", (string?)service["env"]!["CLAUDE_CODE_USE_BEDROCK"]);
        Assert.Equal("https://llm.acme.example", (string?)service["env"]!["ANTHROPIC_BEDROCK_BASE_URL"]);
        Assert.Null(service["env"]!["ANTHROPIC_CUSTOM_HEADERS"]);
        var engineering = JsonNode.Parse(read.Groups["engineering"].ManagedSettings!)!;
        Assert.Equal("https://llm.acme.example", (string?)engineering["env"]!["ANTHROPIC_BASE_URL"]);
        Assert.Null(engineering["apiKeyHelper"]);
        Assert.DoesNotContain(DeploymentTestInput.GatewayKey, read.Groups["service"].ManagedSettings!, StringComparison.Ordinal);
    }

    [Fact]
    public void Claude_desktop_gets_the_gateway_keys_of_each_groups_sign_in_and_telemetry_points_at_the_gateway_when_asked()
    {
        using var secrets = new TempDirectory("deploy");
        var result = Generate(secrets);
        JsonObject Desktop(string group) => JsonNode.Parse(Text(result, $"{group}/linux/managed-settings.json"))!.AsObject();

        var business = Desktop("business");
        Assert.Equal("gateway", (string?)business["inferenceProvider"]);
        Assert.Equal("interactive", (string?)business["inferenceCredentialKind"]);
        Assert.Equal("https://llm.acme.example", (string?)business["inferenceGatewayBaseUrl"]);
        Assert.Contains("\"clientId\":\"basalt-desktop\"", business["inferenceGatewayOidc"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Null(business["otlpEndpoint"]);

        var engineering = Desktop("engineering");
        Assert.Equal("helper-script", (string?)engineering["inferenceCredentialKind"]);
        Assert.NotNull(engineering["inferenceCredentialHelper"]);
        Assert.Equal("https://llm.acme.example", (string?)engineering["otlpEndpoint"]);
        Assert.Equal("inference-credential", (string?)engineering["otlpAuthMode"]);

        var service = Desktop("service");
        Assert.Equal("static", (string?)service["inferenceCredentialKind"]);
        Assert.Equal(DeploymentTestInput.GatewayKey, (string?)service["inferenceGatewayApiKey"]);
        Assert.Equal("bearer", (string?)service["inferenceGatewayAuthScheme"]);

        // Every group's profile validates and names the sign-in the app will use.
        Assert.Equal("gateway-oidc", Validation(result, "business").Credentials!.Winner!.Id);
        Assert.Equal("helper", Validation(result, "engineering").Credentials!.Winner!.Id);
        Assert.Equal("gateway-key", Validation(result, "service").Credentials!.Winner!.Id);
    }

    [Fact]
    public void Claude_code_points_at_the_gateway_in_anthropic_mode_with_the_helper_and_in_bedrock_mode_with_the_key()
    {
        using var secrets = new TempDirectory("deploy");
        var result = Generate(secrets);

        var engineering = JsonNode.Parse(Text(result, "engineering/linux/claude-code/managed-settings.json"))!;
        Assert.Equal("https://llm.acme.example", (string?)engineering["env"]!["ANTHROPIC_BASE_URL"]);
        Assert.Contains("basalt-credential", (string?)engineering["apiKeyHelper"], StringComparison.Ordinal);
        Assert.Null(engineering["env"]!["CLAUDE_CODE_USE_BEDROCK"]);
        Assert.Equal("https://llm.acme.example", (string?)engineering["env"]!["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("1", (string?)engineering["env"]!["CLAUDE_CODE_ENABLE_TELEMETRY"]);

        var service = JsonNode.Parse(Text(result, "service/linux/claude-code/managed-settings.json"))!;
        Assert.Equal("1", (string?)service["env"]!["CLAUDE_CODE_USE_BEDROCK"]);
        Assert.Equal("1", (string?)service["env"]!["CLAUDE_CODE_SKIP_BEDROCK_AUTH"]);
        Assert.Equal("https://llm.acme.example", (string?)service["env"]!["ANTHROPIC_BEDROCK_BASE_URL"]);
        Assert.Equal($"Authorization: Bearer {DeploymentTestInput.GatewayKey}", (string?)service["env"]!["ANTHROPIC_CUSTOM_HEADERS"]);
        Assert.True(Assert.Single(result.Artifacts, a => a.RelativePath == "service/linux/claude-code/managed-settings.json").ContainsSecret);
        Assert.DoesNotContain(result.Artifacts, a => a.RelativePath.StartsWith("business/", StringComparison.Ordinal) && a.RelativePath.Contains("claude-code", StringComparison.Ordinal));
    }

    [Fact]
    public void Signing_in_to_the_gateway_itself_is_interactive_without_an_idp_block_and_the_report_names_the_authorization_server()
    {
        var file = DeploymentTestInput.ParseOk(Deployment(auth: """
            auth:
              approach: gateway
              gateway:
                basalt: true
                baseUrl: https://llm.acme.example
                gatewaySignIn: true
            """, oauth: "https://llm.acme.example"));
        var result = new DeploymentGenerator(validation: FixedDate).Generate(file);

        Assert.True(result.Success, string.Join('\n', result.Diagnostics));
        var desktop = JsonNode.Parse(Text(result, "default/linux/managed-settings.json"))!.AsObject();
        Assert.Equal("interactive", (string?)desktop["inferenceCredentialKind"]);
        Assert.False(desktop.ContainsKey("inferenceGatewayOidc"));
        Assert.False(desktop.ContainsKey("inferenceGatewayApiKey"));
        Assert.Equal("gateway-as", Validation(result, "default").Credentials!.Winner!.Id);
        var report = ConfigReport.Create(Validation(result, "default")).ToText();
        Assert.Contains("gateway as OAuth authorization server", report, StringComparison.Ordinal);
        Assert.Contains("oauth-authorization-server", Text(result, "report.txt"), StringComparison.Ordinal);

        // Claude Code signs in to the gateway itself only when a settings file pins it (docs/claude-code-gateway-signin.md):
        // the device file pins it, with no ANTHROPIC_BASE_URL beside it (what ClaudeCodeGatewaySignInTests proves end to end).
        var claudeCode = JsonNode.Parse(Text(result, "default/linux/claude-code/managed-settings.json"))!.AsObject();
        Assert.Equal("gateway", (string?)claudeCode["forceLoginMethod"]);
        Assert.Equal("https://llm.acme.example", (string?)claudeCode["forceLoginGatewayUrl"]);
        Assert.False(claudeCode["env"]!.AsObject().ContainsKey("ANTHROPIC_BASE_URL"));
        Assert.DoesNotContain(result.Diagnostics, d => d.Message.Contains("cannot sign in", StringComparison.Ordinal));
        Assert.DoesNotContain("IAM Identity Center", Text(result, "report.txt"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_gateway_that_signs_people_in_through_identity_center_is_named_in_the_groups_next_steps()
    {
        var yaml = Deployment(auth: """
            auth:
              approach: gateway
              gateway:
                basalt: true
                baseUrl: https://llm.acme.example
                gatewaySignIn: true
            """, oauth: "https://llm.acme.example")
            .Replace("signIn: { issuer: \"https://login.acme.example\", clientId: basalt-gateway }", "signIn: { identityCenter: { startUrl: \"https://d-1234567890.awsapps.com/start\", region: eu-west-1 } }", StringComparison.Ordinal)
            .Replace("  identity:\n", "  identity:\n    aws: { stsEndpoint: \"https://sts.eu-west-1.amazonaws.com\", region: eu-west-1, permissionSets: { BedrockInference: default } }\n", StringComparison.Ordinal);
        Assert.Contains("identityCenter", yaml, StringComparison.Ordinal);
        Assert.Contains("permissionSets", yaml, StringComparison.Ordinal);
        var result = new DeploymentGenerator(validation: FixedDate).Generate(DeploymentTestInput.ParseOk(yaml));

        Assert.True(result.Success, string.Join('\n', result.Diagnostics));
        Assert.Contains("  - People prove who they are through IAM Identity Center (https://d-1234567890.awsapps.com/start, eu-west-1); the gateway registers itself there at the first sign-in. Give this group's users a permission set that gateway.identity.aws maps to 'default'.\n",
            Text(result, "report.txt"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("https://gateway.elsewhere.example")]
    public void Signing_in_to_the_gateway_needs_its_authorization_server_at_the_devices_base_url(string? oauthIssuer)
    {
        var text = Deployment(auth: """
            auth:
              approach: gateway
              gateway:
                basalt: true
                baseUrl: https://llm.acme.example
                gatewaySignIn: true
            """, oauth: oauthIssuer);
        var result = DeploymentTestInput.Parse(text);

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal(DeploymentDiagnosticCodes.GatewayAuthorizationServerNotConfigured, error.Code);
        Assert.Equal(LineOf(text, "baseUrl: https://llm.acme.example"), error.Location!.Line);
        Assert.Contains("identity", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void A_group_on_basalts_gateway_without_a_gateway_section_is_an_error_at_the_basalt_line()
    {
        var text = Deployment().Split("\ngateway:\n")[0] + "\n";
        var result = DeploymentTestInput.Parse(text);

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal(DeploymentDiagnosticCodes.GatewayNotConfigured, error.Code);
        Assert.Equal(LineOf(text, "basalt: true"), error.Location!.Line);
        Assert.Contains("gateway:", error.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_the_gateway_does_not_serve_is_an_error_at_the_models_line_naming_what_it_serves()
    {
        var text = Deployment(models: """
            models:
              sonnet:
                id: claude-sonnet-5-5
              fable:
                id: claude-haiku-4-5
            """);
        var result = DeploymentTestInput.Parse(text);

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal(DeploymentDiagnosticCodes.GatewayModelNotServed, error.Code);
        Assert.Equal(LineOf(text, "id: claude-haiku-4-5"), error.Location!.Line);
        Assert.Contains("claude-haiku-4-5", error.Message, StringComparison.Ordinal);
        Assert.Contains("claude-sonnet-5-5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_idp_sign_in_the_gateway_does_not_accept_is_an_error_naming_the_issuer_and_how_to_add_it()
    {
        var text = Deployment(auth: """
            auth:
              approach: gateway
              gateway:
                basalt: true
                baseUrl: https://llm.acme.example
                oidc:
                  clientId: basalt-desktop
                  issuer: https://other-idp.example
            """);
        var result = DeploymentTestInput.Parse(text);

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal(DeploymentDiagnosticCodes.GatewayIssuerNotConfigured, error.Code);
        Assert.Contains("https://other-idp.example", error.Message, StringComparison.Ordinal);
        Assert.Contains("gateway.identity.oidc", error.Fix, StringComparison.Ordinal);
        Assert.Equal(LineOf(text, "clientId: basalt-desktop"), error.Location!.Line);
    }

    [Fact]
    public void Telemetry_to_the_gateway_and_an_explicit_otlp_endpoint_conflict_at_the_endpoints_line()
    {
        var text = Deployment(auth: """
            auth:
              approach: gateway
              gateway:
                basalt: true
                baseUrl: https://llm.acme.example
                apiKey: ${env:GATEWAY_API_KEY}
                telemetry: true
            telemetry:
              otlpEndpoint: https://otel.acme.example:4318
            """);
        var result = DeploymentTestInput.Parse(text);

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal(DeploymentDiagnosticCodes.ConflictingSettings, error.Code);
        Assert.Equal(LineOf(text, "otlpEndpoint:"), error.Location!.Line);
    }

    [Fact]
    public void A_group_the_section_defines_itself_must_allow_the_groups_models()
    {
        var text = Deployment().Replace("  apiKeys:", "  groups:\n    default: { models: [] }\n  apiKeys:", StringComparison.Ordinal);
        var result = DeploymentTestInput.Parse(text);

        var error = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal(DeploymentDiagnosticCodes.ConflictingSettings, error.Code);
        Assert.Contains("gateway.groups.default.models", error.Message, StringComparison.Ordinal);
        Assert.Equal(LineOf(text, "id: claude-sonnet-5-5"), error.Location!.Line);
    }

    private static ValidationResult Validation(DeploymentGenerationResult result, string group)
        => result.Validations.First(v => v.Group == group && v.Platform == DeploymentPlatform.Linux).Result;

    private static int LineOf(string text, string marker) => text.Split('\n').ToList().FindIndex(l => l.Contains(marker, StringComparison.Ordinal)) + 1;

    /// <summary>One group on Basalt's gateway with a static key (or <paramref name="auth"/>), Sonnet only, and a gateway section.</summary>
    private static string Deployment(string? auth = null, string? models = null, string? oauth = null) => $$"""
        version: 1
        name: test
        provider: gateway
        platforms: [linux]
        {{auth ?? """
        auth:
          approach: gateway
          gateway:
            basalt: true
            baseUrl: https://llm.acme.example
            apiKey: ${env:GATEWAY_API_KEY}
        """}}
        {{models ?? """
        models:
          sonnet:
            id: claude-sonnet-5-5
        """}}
        claudeCode:
          gatewayMode: anthropic
        gateway:
          upstreams:
            us-east:
              region: us-east-1
              credentials: { source: profile, profile: basalt-gateway }
          models:
            claude-sonnet-5-5:
              routes: [ { upstream: us-east, model: us.anthropic.claude-sonnet-5-5 } ]
          identity:
            oidc:
              - { issuer: "https://login.acme.example", audiences: [basalt-desktop, basalt-gateway] }
        {{(oauth is null ? "" : $"    oauth: {{ issuer: \"{oauth}\", signIn: {{ issuer: \"https://login.acme.example\", clientId: basalt-gateway }} }}")}}
          apiKeys:
            - { id: laptop, user: alice, groups: [default], sha256: "b7669bd8c4e7d51c6691d54ddc2bf977d7ad1c448bc8c8c43faf0c1cb25caad8" }
          usage: { enabled: false }
        """;
}
