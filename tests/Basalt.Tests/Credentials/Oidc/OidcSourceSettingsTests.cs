using System.Text;
using System.Text.Json;
using Basalt.Credentials.Oidc;
using Basalt.Credentials.Settings;
using Basalt.Diagnostics;
using Basalt.Diagnostics.Reading;

namespace Basalt.Tests.Credentials.Oidc;

public sealed class OidcSourceSettingsTests
{
    private const string Valid = """
        {
          "issuer": "https://example.okta.com/oauth2/default",
          "clientId": "0oa1b2c3d4",
          "roleArn": "arn:aws:iam::123456789012:role/BedrockUsers",
          "region": "us-east-1"
        }
        """;

    private static (OidcSourceSettings? Settings, List<Diagnostic> Diagnostics) Parse(string json, string prefix = "sources.oidc")
    {
        List<Diagnostic> diagnostics = [];
        var codes = CredentialHelperSettingsReader.Codes;
        var section = JsonInputReader.Read(Encoding.UTF8.GetBytes(json), "basalt.json", codes, InputLimits.Default, diagnostics);
        Assert.NotNull(section);
        var reader = new FieldReader(codes, diagnostics) { QuotedStringsOnly = true };
        return (OidcSourceSettingsReader.Read(reader, section, prefix), diagnostics);
    }

    private static string With(string field, string value)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(Valid)!.AsObject();
        node[field] = System.Text.Json.Nodes.JsonNode.Parse(value);
        return node.ToJsonString();
    }

    [Fact]
    public void Minimal_section_gets_the_preset_defaults()
    {
        var (settings, diagnostics) = Parse(Valid);

        Assert.Empty(diagnostics);
        Assert.NotNull(settings);
        Assert.Equal("https://example.okta.com/oauth2/default", settings.Issuer);
        Assert.Equal(OidcProviderKind.Okta, settings.Preset);
        Assert.Equal(8400, settings.RedirectPort);
        Assert.Equal(["openid", "profile", "email", "offline_access"], settings.Scopes);
        Assert.Equal(3600, settings.SessionDurationSeconds);
        Assert.Equal(OidcFlow.Auto, settings.Flow);
        Assert.Equal("0oa1b2c3d4", settings.ExpectedAudience);
        Assert.Null(settings.StsEndpoint);
    }

    [Fact]
    public void Every_field_is_read()
    {
        var (settings, diagnostics) = Parse("""
            {
              "issuer": "https://idp.corp.example/", "clientId": "basalt", "preset": "generic", "redirectPort": "53180",
              "scopes": "openid email", "roleArn": "arn:aws-us-gov:iam::123456789012:role/path/Bedrock",
              "region": "us-gov-west-1", "sessionDurationSeconds": 43200, "flow": "device", "audience": "api://basalt",
              "stsEndpoint": "https://sts.us-gov-west-1.amazonaws.com"
            }
            """);

        Assert.Empty(diagnostics);
        Assert.Equal("https://idp.corp.example/", settings!.Issuer);
        Assert.Equal(53180, settings.RedirectPort);
        Assert.Equal(["openid", "email"], settings.Scopes);
        Assert.Equal(43200, settings.SessionDurationSeconds);
        Assert.Equal(OidcFlow.Device, settings.Flow);
        Assert.Equal("api://basalt", settings.ExpectedAudience);
        Assert.Equal(new Uri("https://sts.us-gov-west-1.amazonaws.com"), settings.StsEndpoint);
    }

    [Theory]
    [InlineData("https://login.microsoftonline.com/8f7e6d5c-0000-4000-8000-123456789abc/v2.0", OidcProviderKind.Entra)]
    [InlineData("https://tenant.eu.auth0.com/", OidcProviderKind.Auth0)]
    [InlineData("https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123", OidcProviderKind.Cognito)]
    [InlineData("https://accounts.google.com", OidcProviderKind.Google)]
    [InlineData("https://keycloak.corp.example/realms/staff", OidcProviderKind.Generic)]
    public void Preset_is_detected_from_the_issuer(string issuer, OidcProviderKind expected)
    {
        var (settings, diagnostics) = Parse(With("issuer", JsonSerializer.Serialize(issuer)));

        Assert.DoesNotContain(diagnostics, d => d.IsError);
        Assert.Equal(expected, settings!.Preset);
    }

    [Fact]
    public void Cognito_and_google_scopes_have_no_offline_access()
    {
        Assert.DoesNotContain("offline_access", Parse(With("issuer", "\"https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_x\"")).Settings!.Scopes);
        Assert.DoesNotContain("offline_access", Parse(With("issuer", "\"https://accounts.google.com\"")).Settings!.Scopes);
    }

    [Fact]
    public void Metadata_url_as_issuer_is_an_error_whose_fix_is_the_base_url()
    {
        var (settings, diagnostics) = Parse(With("issuer", "\"https://example.okta.com/oauth2/default/.well-known/openid-configuration\""));

        Assert.Null(settings);
        var d = Assert.Single(diagnostics);
        Assert.Equal("BSL4105", d.Code);
        Assert.Equal("sources.oidc.issuer", d.Key);
        Assert.Contains("\"https://example.okta.com/oauth2/default\"", d.Fix, StringComparison.Ordinal);
        Assert.Equal("basalt.json", d.Location!.File);
    }

    [Theory]
    [InlineData("\"http://idp.corp.example\"")]
    [InlineData("\"not a url\"")]
    [InlineData("\"https://idp.corp.example/?tenant=1\"")]
    public void Issuer_must_be_an_https_url_without_query(string issuer)
    {
        var (settings, diagnostics) = Parse(With("issuer", issuer));

        Assert.Null(settings);
        Assert.Equal("BSL4104", Assert.Single(diagnostics).Code);
    }

    [Fact]
    public void Http_issuer_on_loopback_is_allowed_for_local_identity_providers()
    {
        Assert.NotNull(Parse(With("issuer", "\"http://127.0.0.1:9000\"")).Settings);
    }

    [Theory]
    [InlineData("https://login.microsoftonline.com/8f7e6d5c-0000-4000-8000-123456789abc", "v2.0")]
    [InlineData("https://login.microsoftonline.com/common/v2.0", "tenant id")]
    public void Entra_issuer_must_be_a_tenant_v2_issuer(string issuer, string fixMentions)
    {
        var (settings, diagnostics) = Parse(With("issuer", JsonSerializer.Serialize(issuer)));

        Assert.Null(settings);
        var d = Assert.Single(diagnostics);
        Assert.Equal("BSL4108", d.Code);
        Assert.Contains(fixMentions, d.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_missing_required_field_is_named()
    {
        var (settings, diagnostics) = Parse("{}");

        Assert.Null(settings);
        Assert.Equal(
            ["sources.oidc.clientId", "sources.oidc.issuer", "sources.oidc.region", "sources.oidc.roleArn"],
            diagnostics.Where(d => d.Code == "BSL4102").Select(d => d.Key!).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("redirectPort", "70000", "BSL4109")]
    [InlineData("redirectPort", "\"abc\"", "BSL4103")]
    [InlineData("sessionDurationSeconds", "600", "BSL4113")]
    [InlineData("flow", "\"popup\"", "BSL4114")]
    [InlineData("preset", "\"ping\"", "BSL4106")]
    [InlineData("roleArn", "\"arn:aws:iam::123:user/bob\"", "BSL4111")]
    [InlineData("region", "\"mars-1\"", "BSL4112")]
    [InlineData("region", "\"cn-north-1\"", "BSL4112")]
    [InlineData("stsEndpoint", "\"ftp://sts\"", "BSL4116")]
    [InlineData("clientId", "42", "BSL4103")]
    [InlineData("scopes", "[\"openid\", 7]", "BSL4103")]
    public void Invalid_values_are_errors_keyed_by_field(string field, string value, string code)
    {
        var (settings, diagnostics) = Parse(With(field, value));

        Assert.Null(settings);
        var d = Assert.Single(diagnostics, d => d.IsError);
        Assert.Equal(code, d.Code);
        Assert.StartsWith($"sources.oidc.{field}", d.Key, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(d.Fix));
    }

    [Fact]
    public void Device_flow_with_cognito_is_an_error()
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(Valid)!.AsObject();
        json["issuer"] = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbC";
        json["flow"] = "device";

        var (_, diagnostics) = Parse(json.ToJsonString());

        Assert.Equal("BSL4117", Assert.Single(diagnostics).Code);
    }

    [Fact]
    public void Warnings_do_not_block_the_settings()
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(Valid)!.AsObject();
        json["redirectport"] = 9000;
        json["scopes"] = new System.Text.Json.Nodes.JsonArray("email");
        json["preset"] = "auth0";

        var (settings, diagnostics) = Parse(json.ToJsonString());

        Assert.Equal(["BSL4107", "BSL4110", "BSL4115"], diagnostics.Select(d => d.Code).Order(StringComparer.Ordinal));
        Assert.All(diagnostics, d => Assert.Equal(DiagnosticSeverity.Warning, d.Severity));
        Assert.Contains("redirectPort", diagnostics.Single(d => d.Code == "BSL4115").Fix, StringComparison.Ordinal);
        Assert.Equal(["openid", "email"], settings!.Scopes);
    }

    [Fact]
    public void Section_that_is_not_an_object_is_one_error()
    {
        var (settings, diagnostics) = Parse("\"okta\"");

        Assert.Null(settings);
        Assert.Equal("BSL4101", Assert.Single(diagnostics).Code);
    }
}
