using System.Text.Json;
using Basalt.Diagnostics;
using Basalt.ManagedConfig;
using static Basalt.Tests.ManagedConfig.TestConfigs;

namespace Basalt.Tests.ManagedConfig;

public sealed class ConfigReportTests
{
    private static ManagedConfiguration Messy() => With(BedrockConfig,
        ("inferenceCredentialKind", null),
        ("inferenceBedrockProfile", "claude"),
        ("inferenceBedrockRegion", "us-gov-west-1"),
        ("inferenceModels", "[\"us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0\"]"),
        ("inferenceBedrockBearerTokne", "ABSK-misspelled-but-still-a-secret-1234"),
        ("managedMcpServers", "[{\"name\":\"docs\",\"transport\":\"http\",\"url\":\"https://m.example.com\",\"headers\":{\"X-Team\":\"blue\",\"Authorization\":\"Bearer abc.def\"}}]"),
        ("otlpEndpoint", "https://collector:hunter2@otel.example.com:4318"),
        ("disableAutoUpdates", "maybe"));

    [Fact]
    public void Report_json_has_a_stable_shape()
    {
        var report = ConfigReport.Create(Validate(Messy(), "1.20000.0"), ["policy.json"]);
        using var doc = JsonDocument.Parse(report.ToJson());
        var root = doc.RootElement;
        Assert.Equal(["reportVersion", "sources", "platform", "targetAppVersion", "provider", "thirdPartyMode", "credential", "appliedRules", "keys", "summary", "diagnostics"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("1.20000.0", root.GetProperty("targetAppVersion").GetString());
        Assert.Equal("bedrock", root.GetProperty("provider").GetString());
        Assert.Equal("linux", root.GetProperty("platform").GetString());
        var credential = root.GetProperty("credential");
        Assert.Equal("bedrock-profile", credential.GetProperty("source").GetProperty("id").GetString());
        Assert.Equal("bedrock-claude-desktop", credential.GetProperty("rule").GetProperty("id").GetString());
        Assert.Equal("bedrock-bearer", credential.GetProperty("notUsed")[0].GetProperty("id").GetString());
        Assert.False(credential.GetProperty("kindExplicit").GetBoolean());

        var keys = root.GetProperty("keys").EnumerateArray().ToList();
        Assert.Equal(keys.Select(k => k.GetProperty("key").GetString()).Order(StringComparer.Ordinal), keys.Select(k => k.GetProperty("key").GetString()));
        var bad = keys.Single(k => k.GetProperty("key").GetString() == "disableAutoUpdates");
        Assert.True(bad.GetProperty("parseFailed").GetBoolean());
        Assert.Equal("used", bad.GetProperty("status").GetString());
        Assert.Equal(BedrockConfig.Length + 4, bad.GetProperty("source").GetProperty("line").GetInt32());
        var typo = keys.Single(k => k.GetProperty("key").GetString() == "inferenceBedrockBearerTokne");
        Assert.Equal("ignored", typo.GetProperty("status").GetString());

        var diag = root.GetProperty("diagnostics")[0];
        Assert.Equal(["severity", "code", "key", "source", "message", "fix"], diag.EnumerateObject().Select(p => p.Name));
        Assert.Equal(root.GetProperty("summary").GetProperty("errors").GetInt32(), report.Result.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Theory]
    [InlineData("gateway-as", "reads https://gw.example.com/.well-known/oauth-authorization-server (it must advertise device_authorization_endpoint)")]
    [InlineData("gateway-oidc", "signs the person in at https://idp.example.com (authorization code + PKCE) and sends the IdP's token to https://gw.example.com")]
    [InlineData("gateway-key", "every request to https://gw.example.com carries the configured key")]
    [InlineData("helper", "runs /opt/basalt/basalt-credential gateway-oauth-token and sends what it prints to https://gw.example.com")]
    public void A_gateway_sign_in_is_explained_with_where_the_token_comes_from(string source, string expected)
    {
        var config = source switch
        {
            "gateway-as" => With(GatewayConfig, ("inferenceGatewayBaseUrl", "https://gw.example.com"), ("inferenceCredentialKind", "interactive"), ("inferenceGatewayApiKey", null)),
            "gateway-oidc" => With(GatewayConfig, ("inferenceGatewayBaseUrl", "https://gw.example.com"), ("inferenceCredentialKind", "interactive"), ("inferenceGatewayApiKey", null),
                ("inferenceGatewayOidc", "{\"clientId\":\"a\",\"issuer\":\"https://idp.example.com\"}")),
            "helper" => With(GatewayConfig, ("inferenceGatewayBaseUrl", "https://gw.example.com"), ("inferenceCredentialKind", null), ("inferenceGatewayApiKey", null),
                ("inferenceCredentialHelper", "/opt/basalt/basalt-credential gateway-oauth-token")),
            _ => With(GatewayConfig, ("inferenceGatewayBaseUrl", "https://gw.example.com")),
        };
        var report = ConfigReport.Create(Validate(config), ["gateway.json"]);
        Assert.Equal(source, report.Result.Credentials!.Winner!.Id);
        Assert.Contains("  sign-in: ", report.ToText(), StringComparison.Ordinal);
        Assert.Contains(expected, report.ToText(), StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(report.ToJson());
        Assert.Contains(expected, doc.RootElement.GetProperty("credential").GetProperty("signIn").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Report_is_deterministic()
    {
        var a = ConfigReport.Create(Validate(Messy(), "1.20000.0"), ["policy.json"]).ToJson();
        var b = ConfigReport.Create(Validate(Messy(), "1.20000.0"), ["policy.json"]).ToJson();
        Assert.Equal(a, b);
    }

    [Fact]
    public void Secrets_are_redacted_in_text_and_json()
    {
        var report = ConfigReport.Create(Validate(Messy()), ["policy.json"]);
        foreach (var output in new[] { report.ToJson(), report.ToText() })
        {
            Assert.DoesNotContain(TestConfigs.BearerToken, output, StringComparison.Ordinal);
            Assert.DoesNotContain("misspelled-but-still", output, StringComparison.Ordinal);
            Assert.DoesNotContain("abc.def", output, StringComparison.Ordinal);
            Assert.DoesNotContain("hunter2", output, StringComparison.Ordinal);
            Assert.Contains($"***({TestConfigs.BearerToken.Length} chars)", output, StringComparison.Ordinal);
        }

        Assert.Contains("claude", report.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Text_report_states_provider_credential_rule_and_why_not_third_party()
    {
        var text = ConfigReport.Create(Validate(With(BedrockConfig, ("inferenceBedrockRegion", null)), "1.10000.0"), ["a.json"]).ToText();
        Assert.Contains("Provider:    bedrock", text, StringComparison.Ordinal);
        Assert.Contains("3P mode:     NO", text, StringComparison.Ordinal);
        Assert.Contains("inferenceBedrockRegion", text, StringComparison.Ordinal);
        Assert.Contains("Credential:  Bedrock bearer token", text, StringComparison.Ordinal);
        Assert.Contains("Target app:  1.10000.0", text, StringComparison.Ordinal);
        Assert.Contains("Sources:     a.json", text, StringComparison.Ordinal);
        Assert.Contains("managed-settings.json:", text, StringComparison.Ordinal);
    }
}
