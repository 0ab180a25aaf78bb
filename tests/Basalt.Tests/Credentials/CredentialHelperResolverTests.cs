using System.Text.Json;
using Basalt.Aws;
using Basalt.Credentials;
using Basalt.Credentials.Settings;
using Basalt.Tests.Credentials.Support;

namespace Basalt.Tests.Credentials;

/// <summary>The whole chain as basalt-credential runs it: settings → source → cache + lock → output, in real processes.</summary>
[Collection(EmulatorTestGroup.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CredentialHelperResolverTests(EmulatorFixture fixture)
{
    private const string Settings = """
        {
          "version": 1,
          "defaultProfile": "work",
          "profiles": {
            "work": {
              "source": "identity-center",
              "region": "us-west-2",
              "startUrl": "https://d-9067example.awsapps.com/start",
              "ssoRegion": "us-east-1",
              "accountId": "123456789012",
              "roleName": "BedrockInference",
              "output": { "bedrockToken": true, "tokenLifetime": "12h", "headers": { "X-Org-Route": "prod" } }
            },
            "role": { "source": "aws-profile", "profile": "role", "region": "us-east-1" },
            "key": { "source": "bedrock-api-key", "apiKey": "ABSKlongtermkey0001" }
          }
        }
        """;

    [Fact]
    public async Task Twenty_concurrent_helper_processes_sign_in_once_and_print_the_same_credentials()
    {
        var emulator = fixture.Emulator;
        using var env = new CredentialTestEnvironment(emulator);
        var settings = env.Write(env.Combine("basalt-credential.json"), Settings);
        var signIns = await emulator.CountAsync("StartDeviceAuthorization");
        var roleCalls = await emulator.CountAsync("GetRoleCredentials");

        var runs = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => CredentialsHost.RunAsync(["resolve", settings, "work", "process"], env.Variables, TimeSpan.FromMinutes(5))));

        Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.ToString()));
        Assert.Single(runs.Select(r => r.Stdout).Distinct());
        Assert.Equal(signIns + 1, await emulator.CountAsync("StartDeviceAuthorization"));
        Assert.Equal(roleCalls + 1, await emulator.CountAsync("GetRoleCredentials"));
        Assert.Equal(1, env.BrowserOpenings);

        using var output = JsonDocument.Parse(runs[0].Stdout);
        var secret = output.RootElement.GetProperty("SecretAccessKey").GetString()!;
        var token = output.RootElement.GetProperty("SessionToken").GetString()!;
        Assert.All(runs, r => Assert.DoesNotContain(secret, r.Stderr));
        Assert.All(runs, r => Assert.DoesNotContain(token, r.Stderr));

        // The next run in a silent context is served from the encrypted cache: no AWS call at all.
        env.Variables["CLAUDE_HELPER_CONTEXT"] = "mid-session-refresh";
        var requests = (await emulator.RequestsAsync()).Count;
        var cached = await CredentialsHost.RunAsync(["resolve", settings, "work", "process"], env.Variables);
        Assert.Equal(runs[0].Stdout, cached.Stdout);
        Assert.Equal(requests, (await emulator.RequestsAsync()).Count);
    }

    [Fact]
    public async Task The_desktop_helper_gets_a_minted_bedrock_token_with_its_headers()
    {
        using var env = new CredentialTestEnvironment(fixture.Emulator);
        var diagnostics = new List<Basalt.Diagnostics.Diagnostic>();
        var settings = CredentialHelperSettings.Parse(Settings, "basalt-credential.json", diagnostics)!;
        var resolver = new CredentialHelperResolver(settings, env.ToCredentialEnvironment());
        var resolved = await resolver.ResolveAsync(null, new CredentialRequest(CredentialContext.Interactive, TextWriter.Null), default);

        using var output = JsonDocument.Parse(resolved.ToDesktopHelperOutput());
        var token = output.RootElement.GetProperty("token").GetString();
        Assert.Equal("prod", output.RootElement.GetProperty("headers").GetProperty("X-Org-Route").GetString());
        Assert.True(BedrockApiKey.TryDecode(token, out var decoded));
        Assert.Equal("us-west-2", decoded!.Region);
        Assert.Equal(resolved.AwsCredentials!.AccessKeyId, decoded.AccessKeyId);

        // A token signed with role credentials cannot outlive them (1 h here), whatever the profile asks for.
        Assert.True(resolved.BearerTokenExpiration <= resolved.AwsCredentials!.Expiration);
        Assert.DoesNotContain(token!, resolved.ToString());
    }

    [Fact]
    public async Task A_bedrock_api_key_profile_passes_the_key_through_as_a_bare_token()
    {
        using var env = new CredentialTestEnvironment();
        var settings = env.Write(env.Combine("s.json"), Settings);
        var run = await CredentialsHost.RunAsync(["resolve", settings, "key", "desktop"], env.Variables);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal("ABSKlongtermkey0001", run.Stdout);
    }

    [Fact]
    public async Task The_aws_cli_accepts_basalt_as_its_credential_process()
    {
        var emulator = fixture.Emulator;
        using var env = new CredentialTestEnvironment(emulator);
        var settings = env.Write(env.Combine("s.json"), Settings);
        var dll = await CredentialsHost.DllAsync();
        env.WriteConfig($"""
            [profile role]
            role_arn = arn:aws:iam::123456789012:role/BedrockRole
            source_profile = base
            external_id = ext-1234

            [profile via-basalt]
            credential_process = dotnet {dll} resolve {settings} role process
            """);
        env.WriteCredentials("[base]\naws_access_key_id = AKIAALICEEXAMPLE0001\naws_secret_access_key = alice/secret/0001+xyz\n");

        var direct = await CredentialsHost.RunAsync(["resolve", settings, "role", "process"], env.Variables);
        Assert.True(direct.ExitCode == 0, direct.ToString());
        using var basalt = JsonDocument.Parse(direct.Stdout);
        Assert.Equal(1, basalt.RootElement.GetProperty("Version").GetInt32());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", basalt.RootElement.GetProperty("Expiration").GetString());

        var cli = await env.AwsAsync("configure", "export-credentials", "--profile", "via-basalt");
        Assert.True(cli.ExitCode == 0, cli.ToString());
        using var exported = JsonDocument.Parse(cli.Stdout);
        Assert.Equal(basalt.RootElement.GetProperty("AccessKeyId").GetString(), exported.RootElement.GetProperty("AccessKeyId").GetString());
        Assert.Equal(basalt.RootElement.GetProperty("SessionToken").GetString(), exported.RootElement.GetProperty("SessionToken").GetString());
    }
}
