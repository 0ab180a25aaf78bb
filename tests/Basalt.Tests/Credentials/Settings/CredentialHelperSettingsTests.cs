using Basalt.Credentials;
using Basalt.Credentials.Settings;
using Basalt.Diagnostics;
using Basalt.Testing;

namespace Basalt.Tests.Credentials.Settings;

public sealed class CredentialHelperSettingsTests
{
    private const string Valid = """
        {
          "version": 1,
          "defaultProfile": "work",
          "profiles": {
            "work": {
              "source": "identity-center",
              "region": "us-west-2",
              "startUrl": "https://d-xxxxxxxxxx.awsapps.com/start",
              "ssoRegion": "us-east-1",
              "accountId": "012345678901",
              "roleName": "BedrockInference",
              "ssoSession": "corp",
              "output": { "bedrockToken": true, "tokenLifetime": "8h", "headers": { "X-Org-Route": "prod" } }
            },
            "dev": { "source": "aws-profile", "profile": "claude-cowork", "awsDir": "~/corp-aws", "awsCliPath": "/opt/aws/bin/aws" },
            "poc": { "source": "static", "accessKeyId": "AKIAEXAMPLE000000001", "secretAccessKey": "poc-secret" },
            "key": { "source": "bedrock-api-key", "apiKey": "ABSK-long-term" },
            "gw": { "source": "gateway", "gatewayUrl": "https://gateway.example.com", "clientId": "basalt-cli" },
            "idp": {
              "source": "oidc",
              "region": "us-east-1",
              "issuer": "https://example.okta.com/oauth2/default",
              "clientId": "0oa1b2c3d4e5f6g7h8i9",
              "roleArn": "arn:aws:iam::123456789012:role/BedrockUsers",
              "endpoints": { "sts": "http://127.0.0.1:9/" }
            }
          }
        }
        """;

    [Fact]
    public void A_valid_file_parses_and_round_trips_through_ToJson()
    {
        var diagnostics = new List<Diagnostic>();
        var settings = CredentialHelperSettings.Parse(Valid, "/etc/basalt/credential-helper.json", diagnostics);
        Assert.DoesNotContain(diagnostics, d => d.IsError);
        Assert.NotNull(settings);
        var work = settings.GetProfile(null)!;
        Assert.Equal(CredentialSourceKind.IdentityCenter, work.Source);
        Assert.Equal("012345678901", work.AccountId);
        Assert.Equal(TimeSpan.FromHours(8), work.Output.TokenLifetime);
        Assert.Equal("prod", work.Output.Headers["x-org-route"]);
        Assert.Equal(5, work.Location!.Line);
        Assert.NotNull(settings.Profiles["idp"].Oidc);
        Assert.Equal("us-east-1", settings.Profiles["idp"].Oidc!.Region);

        var again = CredentialHelperSettings.Parse(settings.ToJson(), "again.json", diagnostics)!;
        Assert.Equal(settings.ToJson(), again.ToJson());
        Assert.Equal(work.Fingerprint(), again.Profiles["work"].Fingerprint());
        Assert.Equal(settings.Profiles["idp"].Oidc, again.Profiles["idp"].Oidc);
        Assert.Equal("poc-secret", again.Profiles["poc"].SecretAccessKey);
        Assert.Equal(CredentialSourceKind.Gateway, again.Profiles["gw"].Source);
        Assert.Equal("https://gateway.example.com/", again.Profiles["gw"].GatewayUrl!.AbsoluteUri);
        Assert.Equal("basalt-cli", again.Profiles["gw"].GatewayClientId);
        Assert.Equal(settings.Profiles["gw"].Fingerprint(), again.Profiles["gw"].Fingerprint());
    }

    [Fact]
    public void Secrets_never_appear_in_ToString()
    {
        var settings = CredentialHelperSettings.Parse(Valid, "s.json", new List<Diagnostic>())!;
        var text = string.Join('\n', settings.Profiles.Values.Select(p => p.ToString())) + settings;
        Assert.DoesNotContain("poc-secret", text);
        Assert.DoesNotContain("ABSK-long-term", text);
    }

    [Theory]
    [InlineData("""{"profiles":{"a":{"source":"static","accessKeyId":"A","secretAccessKey":"B"}}}""", "BSL4202", "version", 0)]
    [InlineData("{\n\"version\": 1,\n\"profiles\": {\n\"a\": {\n\"source\": \"magic\"\n}}}", "BSL4205", "profiles.a.source", 5)]
    [InlineData("{\n\"version\": 1,\n\"profiles\": {\"a\": {\"source\": \"identity-center\", \"startUrl\": \"https://x.awsapps.com/start\", \"ssoRegion\": \"us-east-1\",\n\"accountId\": \"12345\", \"roleName\": \"R\"}}}", "BSL4209", "profiles.a.accountId", 4)]
    [InlineData("""{"version":1,"profiles":{"a":{"source":"static","accessKeyId":"A","secretAccessKey":"B","output":{"tokenLifetime":"13h","bedrockToken":true},"region":"us-east-1"}}}""", "BSL4209", "profiles.a.output.tokenLifetime", 1)]
    [InlineData("""{"version":1,"profiles":{"a":{"source":"static","accessKeyId":"A","secretAccessKey":"B","output":{"bedrockToken":true}}}}""", "BSL4206", "profiles.a.region", 1)]
    [InlineData("""{"version":1,"defaultProfile":"b","profiles":{"a":{"source":"bedrock-api-key","apiKey":"k"}}}""", "BSL4204", "defaultProfile", 1)]
    [InlineData("""{"version":1,"profiles":{"a":{"source":"aws-profile"}}}""", "BSL4206", "profiles.a.profile", 1)]
    [InlineData("""{"version":1,"profiles":{"a":{"source":"gateway"}}}""", "BSL4206", "profiles.a.gatewayUrl", 1)]
    [InlineData("""{"version":1,"profiles":{"a":{"source":"gateway","gatewayUrl":"http://gateway.example.com"}}}""", "BSL4209", "profiles.a.gatewayUrl", 1)]
    [InlineData("{\n\"version\": 1,\n\"profiles\": {\n}\n,,}", "BSL4201", null, 5)]
    public void Bad_input_is_reported_with_code_field_and_line(string json, string code, string? key, int line)
    {
        var diagnostics = new List<Diagnostic>();
        Assert.Null(CredentialHelperSettings.Parse(json, "/x/basalt-credential.json", diagnostics));
        var error = Assert.Single(diagnostics, d => d.IsError && d.Code == code);
        Assert.Equal(key, error.Key);
        Assert.Equal("/x/basalt-credential.json", error.Location!.File);
        if (line > 0)
        {
            Assert.Equal(line, error.Location.Line);
        }

        Assert.NotNull(error.Fix);
    }

    [Fact]
    public void Unknown_fields_are_warnings_that_name_the_field()
    {
        var diagnostics = new List<Diagnostic>();
        var settings = CredentialHelperSettings.Parse("""{"version":1,"profiles":{"a":{"source":"bedrock-api-key","apiKey":"k","startUrl":"https://x"}}}""", "s.json", diagnostics);
        Assert.NotNull(settings);
        var warning = Assert.Single(diagnostics);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal("profiles.a.startUrl", warning.Key);
    }

    [Theory]
    [InlineData("12h", 43200)]
    [InlineData("90m", 5400)]
    [InlineData("1h30m", 5400)]
    [InlineData("3600", 3600)]
    [InlineData("45s", 45)]
    public void Durations_parse_and_format(string text, int seconds)
    {
        Assert.True(DurationText.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
        Assert.True(DurationText.TryParse(DurationText.Format(value), out var again));
        Assert.Equal(value, again);
        Assert.False(DurationText.TryParse("30m1h", out _));
        Assert.False(DurationText.TryParse("12x", out _));
    }

    [Fact]
    public void Settings_are_found_in_the_documented_order()
    {
        using var temp = new TempDirectory("locate");
        var exeDir = Directory.CreateDirectory(temp.Combine("bin")).FullName;
        var home = temp.Combine("home");
        var env = new CredentialEnvironment([new("HOME", home)]);
        var user = temp.Write(Path.Combine("home", ".config", "basalt", "credential-helper.json"), "{}");
        Assert.Equal(user, CredentialSettingsLocator.Find(env, out _, null, exeDir));

        var shipped = temp.Write(Path.Combine("bin", "basalt-credential.json"), "{}");
        Assert.Equal(shipped, CredentialSettingsLocator.Find(env, out _, null, exeDir));

        var fromVariable = temp.Write("env.json", "{}");
        var withVariable = env.With([new(CredentialSettingsLocator.EnvironmentVariable, fromVariable)]);
        Assert.Equal(fromVariable, CredentialSettingsLocator.Find(withVariable, out _, null, exeDir));

        var option = temp.Write("option.json", "{}");
        Assert.Equal(option, CredentialSettingsLocator.Find(withVariable, out _, option, exeDir));

        Assert.Null(CredentialSettingsLocator.Find(withVariable, out var error, temp.Combine("missing.json"), exeDir));
        Assert.Contains("--settings", error);
        Assert.Contains("/etc/basalt/credential-helper.json", CredentialSettingsLocator.Candidates(env, null, exeDir).Select(c => c.Path));
    }

    [Theory]
    [InlineData(null, null, CredentialContext.Interactive)]
    [InlineData("interactive", null, CredentialContext.Interactive)]
    [InlineData("mid-session-refresh", null, CredentialContext.MidSessionRefresh)]
    [InlineData("scheduled-task", null, CredentialContext.ScheduledTask)]
    [InlineData("setup-test", "1", CredentialContext.SetupTest)]
    [InlineData("background", null, CredentialContext.Background)]
    [InlineData(null, "1", CredentialContext.SetupTest)]
    [InlineData("something-new", null, CredentialContext.Background)]
    public void Claude_helper_context_maps_to_a_credential_context(string? context, string? manualRun, CredentialContext expected)
    {
        var env = new CredentialEnvironment([new("CLAUDE_HELPER_CONTEXT", context), new("CLAUDE_HELPER_MANUAL_RUN", manualRun)]);
        Assert.Equal(expected, CredentialContexts.FromEnvironment(env));
    }
}
