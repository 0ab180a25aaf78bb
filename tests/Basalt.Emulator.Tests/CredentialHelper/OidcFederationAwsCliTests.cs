using System.Text.Json;
using System.Text.Json.Nodes;
using Basalt.Emulator.Options;
using Basalt.Emulator.Tests.TestSupport;
using Basalt.Testing;

namespace Basalt.Emulator.Tests.CredentialHelper;

/// <summary>
/// OIDC federation end to end with real peers: the helper signs in at oidc-provider through the browser stand-in,
/// exchanges the ID token at the emulator's STS (which checks the IdP's JWKS and the role's trust), and the AWS CLI
/// v2 then calls STS as the federated user through <c>credential_process</c>.
/// </summary>
public sealed class OidcFederationAwsCliTests
{
    [Fact]
    public async Task Aws_cli_v2_is_the_federated_user_after_one_browser_sign_in()
    {
        await using var idp = await TestIdp.StartAsync();
        var org = new TestOrg();
        org.Options.Roles.Add(new RoleOptions
        {
            Name = "BedrockFederated",
            Account = TestOrg.Account,
            MaxSessionDuration = TimeSpan.FromHours(12),
            WebIdentity = [new WebIdentityTrust { Issuer = idp.Issuer, Audiences = [TestIdp.RsaClientId] }],
        });
        await using var emulator = await EmulatorServer.StartAsync(org.Options);
        var settings = new JsonObject
        {
            ["version"] = 1,
            ["profiles"] = new JsonObject
            {
                ["fed"] = new JsonObject
                {
                    ["source"] = "oidc",
                    ["region"] = "us-east-1",
                    ["issuer"] = idp.Issuer,
                    ["clientId"] = TestIdp.RsaClientId,
                    ["scopes"] = new JsonArray("openid", "email", "offline_access"),
                    ["redirectPort"] = 0,
                    ["flow"] = "browser",
                    ["roleArn"] = TestOrg.RoleArn("BedrockFederated"),
                    ["sessionDurationSeconds"] = 3600,
                    ["stsEndpoint"] = emulator.BaseAddress.AbsoluteUri,
                },
            },
        };
        using var sandbox = new HelperSandbox(settings.ToJsonString());
        sandbox.WriteAwsProfile("federated", "fed");

        var login = await sandbox.RunHelperAsync(["login", "--profile", "fed", "--settings", sandbox.SettingsPath], extra: new Dictionary<string, string?> { ["BROWSER"] = TestIdp.BrowserCommand("--login", "alice") });
        var identity = await sandbox.RunAwsAsync("sts", "get-caller-identity", "--profile", "federated", "--endpoint-url", emulator.BaseAddress.AbsoluteUri.TrimEnd('/'));
        var export = await sandbox.RunHelperAsync(["claude-code", "--profile", "fed", "--settings", sandbox.SettingsPath], context: "background");

        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Contains("Signed in for profile \"fed\"", login.Stdout, StringComparison.Ordinal);
        Assert.True(identity.ExitCode == 0, identity.ToString());
        using var json = JsonDocument.Parse(identity.Stdout);
        Assert.Equal($"arn:aws:sts::{TestOrg.Account}:assumed-role/BedrockFederated/Alice.O-Neil+dev@example.com", json.RootElement.GetProperty("Arn").GetString());

        // The AWS CLI and a silent Claude Code export ran on the credentials the sign-in cached: one STS exchange.
        Assert.Single(emulator.RequestLog.Snapshot(), e => e.Operation == "AssumeRoleWithWebIdentity");
        Assert.True(export.ExitCode == 0, export.ToString());
        using var exported = JsonDocument.Parse(export.Stdout);
        var credentials = exported.RootElement.GetProperty("Credentials");
        var secrets = idp.RecordedSecrets().Append(credentials.GetProperty("SecretAccessKey").GetString()!).Append(credentials.GetProperty("SessionToken").GetString()!).ToList();
        Assert.NotEmpty(idp.RecordedSecrets());
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, login.Stderr + export.Stderr + identity.Stderr, StringComparison.Ordinal);
        }
    }
}
