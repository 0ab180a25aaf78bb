using Basalt.ManagedConfig;
using static Basalt.Tests.ManagedConfig.TestConfigs;
using C = Basalt.ManagedConfig.ConfigDiagnosticCodes;

namespace Basalt.Tests.ManagedConfig;

public sealed class CredentialResolutionTests
{
    private static readonly (string Key, string? Value)[] Sso =
    [
        ("inferenceBedrockSsoStartUrl", "https://d-1234567890.awsapps.com/start"),
        ("inferenceBedrockSsoRegion", "us-east-1"),
        ("inferenceBedrockSsoAccountId", "123456789012"),
        ("inferenceBedrockSsoRoleName", "BedrockInference"),
    ];

    private static (string Key, string? Value)[] AllFourOverrides(string? kind = null) =>
    [
        ("inferenceCredentialKind", kind),
        ("inferenceBedrockProfile", "claude-cowork"),
        ("inferenceCredentialHelper", "/usr/local/bin/basalt-credential"),
        .. Sso,
    ];

    private static ManagedConfiguration AllFour(string? kind = null) => With(BedrockConfig, AllFourOverrides(kind));

    [Theory]
    // Seed 001 (claude.com/docs/cowork/3p/bedrock): bearer → profile → in-app sign-in → helper.
    [InlineData("1.6259.0", "bedrock-cowork-3p", "bedrock-bearer")]
    [InlineData("1.13575.0", "bedrock-cowork-3p", "bedrock-bearer")]
    // Seed 000 (third-party/claude-desktop): in-app sign-in → profile → helper → bearer.
    [InlineData("1.13576.0", "bedrock-claude-desktop", "bedrock-sso")]
    [InlineData("1.46388.1", "bedrock-claude-desktop", "bedrock-sso")]
    // Newest page; an unknown target means the newest app.
    [InlineData("2.7032.0", "bedrock-idp", "bedrock-sso")]
    [InlineData(null, "bedrock-idp", "bedrock-sso")]
    // Before the SSO keys existed: bearer → profile → helper (the SSO keys are too new and ignored).
    [InlineData("1.5000.0", "bedrock-earliest", "bedrock-bearer")]
    public void Bedrock_precedence_follows_the_target_app_version(string? app, string rule, string winner)
    {
        var result = Validate(AllFour(), app);
        var c = result.Credentials!;
        Assert.False(c.KindIsExplicit);
        Assert.Equal(rule, c.Rule!.Id);
        Assert.Equal(winner, c.Winner!.Id);
        Assert.Contains(rule, c.Reason, StringComparison.Ordinal);
        var warning = Assert.Single(result.WithCode(C.MultipleCredentials), d => d.Severity == Basalt.Diagnostics.DiagnosticSeverity.Warning && d.Message.StartsWith("Several", StringComparison.Ordinal));
        Assert.Contains(c.Winner.DisplayName, warning.Message, StringComparison.Ordinal);
        Assert.Contains("inferenceCredentialKind", warning.Fix!, StringComparison.Ordinal);
        Assert.Contains(result.AppliedRules, r => r.Contains(rule, StringComparison.Ordinal));
    }

    [Fact]
    public void Older_order_puts_profile_before_sign_in_and_newer_order_puts_sign_in_first()
    {
        var cfg = With(BedrockConfig, [("inferenceCredentialKind", null), ("inferenceBedrockBearerToken", null), ("inferenceBedrockProfile", "p"), .. Sso]);
        Assert.Equal("bedrock-profile", Validate(cfg, "1.10000.0").Credentials!.Winner!.Id);
        Assert.Equal("bedrock-sso", Validate(cfg, "1.20000.0").Credentials!.Winner!.Id);
    }

    [Fact]
    public void Helper_beats_bearer_only_in_the_newer_order()
    {
        var cfg = With(BedrockConfig, ("inferenceCredentialKind", null), ("inferenceCredentialHelper", "/opt/h"));
        Assert.Equal("bedrock-bearer", Validate(cfg, "1.10000.0").Credentials!.Winner!.Id);
        Assert.Equal("helper", Validate(cfg, "1.13576.0").Credentials!.Winner!.Id);
    }

    [Fact]
    public void Warning_names_what_other_app_versions_would_pick()
    {
        var cfg = With(BedrockConfig, [("inferenceCredentialKind", null), .. Sso]);
        var warning = Validate(cfg, "1.20000.0").WithCode(C.MultipleCredentials).Single(d => d.Message.StartsWith("Several", StringComparison.Ordinal));
        Assert.Contains("Bedrock bearer token under rule 'bedrock-cowork-3p'", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Identity_provider_sign_in_wins_on_the_newest_app()
    {
        var cfg = With(BedrockConfig, [("inferenceCredentialKind", null), ("inferenceIdpOidc", "{\"clientId\":\"a\",\"issuer\":\"https://idp.example.com\"}"),
            ("inferenceBedrockBaseUrl", "https://proxy.example.com"), .. Sso]);
        var c = Validate(cfg, "2.7032.0").Credentials!;
        Assert.Equal("bedrock-idp", c.Winner!.Id);
        Assert.Equal("external-idp", c.Kind);
        Assert.Equal(["bedrock-sso", "bedrock-bearer"], c.Losers.Select(l => l.Id));
    }

    [Fact]
    public void Explicit_kind_wins_with_no_fallback()
    {
        var cfg = AllFour("vendor-profile");
        var c = Validate(cfg, "1.13576.0").Credentials!;
        Assert.True(c.KindIsExplicit);
        Assert.Equal("bedrock-profile", c.Winner!.Id);
        Assert.Null(c.Rule);
        Assert.Contains("no fallback", c.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Explicit_kind_with_missing_keys_resolves_nothing_even_when_others_are_set()
    {
        var cfg = With(BedrockConfig, ("inferenceCredentialKind", "helper-script"));
        var result = Validate(cfg);
        Assert.Null(result.Credentials!.Winner);
        Assert.False(result.EntersThirdPartyMode);
        var d = Assert.Single(result.WithCode(C.KindSourceMissing));
        Assert.Contains("inferenceCredentialHelper", d.Message, StringComparison.Ordinal);
        Assert.Contains("Bedrock bearer token", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Partial_sso_set_is_ignored_and_falls_back_when_kind_is_unset()
    {
        var cfg = With(BedrockConfig, ("inferenceCredentialKind", null), ("inferenceBedrockSsoStartUrl", "https://d-1234567890.awsapps.com/start"));
        var result = Validate(cfg);
        Assert.Equal("bedrock-bearer", result.Credentials!.Winner!.Id);
        Assert.True(result.EntersThirdPartyMode);
    }

    [Fact]
    public void Mantle_and_gateway_prefer_the_helper_over_static_keys()
    {
        Assert.Equal("helper", Validate(With(MantleConfig, ("inferenceCredentialKind", null), ("inferenceCredentialHelper", "/opt/h"))).Credentials!.Winner!.Id);
        Assert.Equal("helper", Validate(With(GatewayConfig, ("inferenceCredentialKind", null), ("inferenceCredentialHelper", "/opt/h"))).Credentials!.Winner!.Id);
    }

    [Fact]
    public void Gateway_interactive_without_oidc_is_the_gateway_authorization_server()
    {
        var c = Validate(With(GatewayConfig, ("inferenceCredentialKind", "interactive"), ("inferenceGatewayApiKey", null))).Credentials!;
        Assert.Equal("gateway-as", c.Winner!.Id);
        var oidc = Validate(With(GatewayConfig, ("inferenceCredentialKind", "interactive"), ("inferenceGatewayOidc", "{\"clientId\":\"a\",\"issuer\":\"https://idp.example.com\"}"))).Credentials!;
        Assert.Equal("gateway-oidc", oidc.Winner!.Id);
    }

    [Fact]
    public void Vertex_google_sign_in_beats_the_file_on_newer_apps_and_loses_on_older_ones()
    {
        var cfg = With(VertexConfig, ("inferenceCredentialKind", null), ("inferenceVertexOAuthClientId", "1.apps.googleusercontent.com"), ("inferenceVertexOAuthClientSecret", "GOCSPX-x"));
        Assert.Equal("vertex-google", Validate(cfg, "1.40609.0").Credentials!.Winner!.Id);
        Assert.Equal("vertex-file", Validate(cfg, "1.30000.0").Credentials!.Winner!.Id);
    }

    [Fact]
    public void Vertex_without_credential_keys_uses_adc_and_still_enters_third_party_mode()
    {
        var result = Validate(With(VertexConfig, ("inferenceCredentialKind", null), ("inferenceVertexCredentialsFile", null)));
        Assert.Equal("vertex-adc", result.Credentials!.Winner!.Id);
        Assert.True(result.EntersThirdPartyMode);
    }

    [Fact]
    public void Precedence_rules_cover_every_version_exactly_once()
    {
        foreach (var provider in InferenceProviderNames.All)
        {
            foreach (var v in new AppVersion?[] { null, AppVersion.Baseline, AppVersion.Parse("1.6259.0"), AppVersion.Parse("1.13576.0"), AppVersion.Parse("1.40609.0"), AppVersion.Parse("2.7032.0"), AppVersion.Parse("9.0.0") })
            {
                Assert.Single(CredentialPrecedence.Rules, r => r.Provider == provider && r.AppliesTo(v));
            }
        }
    }

    [Fact]
    public void Complete_sso_set_with_an_invalid_value_names_the_bad_key_not_a_missing_one()
    {
        var cfg = With(BedrockConfig, [("inferenceCredentialKind", "interactive"), .. Sso, ("inferenceBedrockSsoAccountId", "1234")]);
        var result = Validate(cfg);
        var d = Assert.Single(result.WithCode(C.SsoPartial));
        Assert.Equal(Basalt.Diagnostics.DiagnosticSeverity.Error, d.Severity);
        Assert.Contains("empty or invalid", d.Message, StringComparison.Ordinal);
        Assert.True(result.Has(C.InvalidAccountId));
        Assert.False(result.EntersThirdPartyMode);
    }
}
