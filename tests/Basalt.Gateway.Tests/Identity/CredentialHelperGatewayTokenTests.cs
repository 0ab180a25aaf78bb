using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Basalt.Credentials.IdentityCenter;
using Basalt.Emulator;
using Basalt.Emulator.Options;
using Basalt.Gateway.Tests.TestSupport;
using Basalt.Identity;
using Basalt.Identity.Aws;
using Basalt.Testing;

namespace Basalt.Gateway.Tests.Identity;

/// <summary>
/// A company with only IAM Identity Center (issue 9 item 4): alice signed in on her device (the AWS SDK for
/// JavaScript's device sign-in at the emulator, its access token in the AWS CLI's SSO cache), and the real NativeAOT
/// <c>basalt-credential gateway-token</c> — run as Claude Code's <c>apiKeyHelper</c> and as Claude Desktop's
/// <c>inferenceCredentialHelper</c> run it — prints a presigned GetCallerIdentity token that the real gateway accepts
/// as her: her permission set's assumed role, mapped to group limited.
/// </summary>
public sealed class CredentialHelperGatewayTokenTests
{
    private const string Account = "111122223333";
    private const string Audience = "basalt-test-gateway";
    private const string StartUrl = "https://d-9067example.awsapps.com/start";

    [Fact]
    public async Task The_helpers_gateway_token_from_an_identity_center_sign_in_authenticates_at_the_gateway_as_that_person()
    {
        var org = new EmulatorOptions();
        org.Accounts.Add(new AccountOptions { Id = Account, Name = "Example Corp Engineering", Email = "aws-engineering@example.com" });
        org.Users.Add(new UserOptions { Name = "alice", Account = Account });
        org.PermissionSets.Add(new PermissionSetOptions { Name = "BedrockInference", Assignments = [new PermissionSetAssignment { Account = Account, Users = ["alice"] }] });
        await using var identityCenter = await EmulatorServer.StartAsync(org);
        var sts = identityCenter.BaseAddress.ToString().TrimEnd('/');
        var identity = $"  identity:\n    aws:\n      stsEndpoint: \"{sts}\"\n      region: us-east-1\n      audience: {Audience}\n      permissionSets: {{ BedrockInference: limited }}\n";
        await using var host = await GatewayTestHost.StartAsync(new GatewayTestOptions { GatewayYaml = e => GatewayTestHost.GatewayYaml(e, new GatewayTestOptions()) + identity });

        // Alice's device: she signed in to IAM Identity Center; the helper's settings name her permission set.
        var signIn = await GatewayTestHost.NodeAsync("aws-identity-token.mjs", new { ssoEndpoint = sts, stsEndpoint = sts, region = "us-east-1", approveAs = "alice", accountId = Account, roleName = "BedrockInference", audience = Audience, ssoAccessToken = true });
        using var home = new TempDirectory("gateway-token-helper");
        new SsoTokenCache(home.Combine(".aws", "sso", "cache")).WriteToken(SsoTokenCache.TokenKey(StartUrl, null), new SsoToken(StartUrl, "us-east-1", (string)signIn["ssoAccessToken"]!, DateTimeOffset.UtcNow.AddHours(8)));
        var settings = home.Write("basalt-credential.json", new JsonObject
        {
            ["version"] = 1,
            ["defaultProfile"] = "sso",
            ["profiles"] = new JsonObject
            {
                ["sso"] = new JsonObject
                {
                    ["source"] = "identity-center",
                    ["region"] = "us-east-1",
                    ["startUrl"] = StartUrl,
                    ["ssoRegion"] = "us-east-1",
                    ["accountId"] = Account,
                    ["roleName"] = "BedrockInference",
                    ["endpoints"] = new JsonObject { ["sso"] = sts, ["ssoOidc"] = sts, ["sts"] = sts },
                    ["output"] = new JsonObject { ["gatewayId"] = Audience },
                },
            },
        }.ToJsonString());

        // Claude Code's apiKeyHelper: a command whose stdout is the key; Claude Desktop's helper: the same command,
        // run with CLAUDE_HELPER_CONTEXT (silent refresh from the cache).
        foreach (var context in new string?[] { null, "mid-session-refresh" })
        {
            var run = await ProcessRunner.RunAsync(Binary, ["gateway-token", "--settings", settings], environment: Environment(home, context), timeout: TimeSpan.FromMinutes(2));
            Assert.True(run.ExitCode == 0, run.ToString());
            var token = run.Stdout.TrimEnd('\n');
            Assert.StartsWith(AwsIdentityToken.Prefix, token, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', token);
            Assert.Equal(string.Empty, run.Stderr);

            Assert.Equal(200, await StatusAsync(host, token, "haiku"));
            Assert.Equal(403, await StatusAsync(host, token, "sonnet"));
        }

        var usage = await host.Usage.WaitAsync(2);
        Assert.All(usage, e =>
        {
            Assert.Equal(AuthenticationMethod.AwsIdentity, e.Principal.Method);
            Assert.StartsWith($"arn:aws:sts::{Account}:assumed-role/AWSReservedSSO_BedrockInference_", e.Principal.UserId, StringComparison.Ordinal);
            Assert.EndsWith("/alice", e.Principal.UserId, StringComparison.Ordinal);
            Assert.Equal(["limited"], e.Principal.Groups);
        });
    }

    private static string Binary => ExternalTools.CredentialHelper();

    /// <summary>A fresh user: its own HOME and caches, and none of the developer's AWS settings.</summary>
    private static Dictionary<string, string?> Environment(TempDirectory home, string? context) => new()
    {
        ["HOME"] = home.Path,
        ["AWS_CONFIG_FILE"] = home.Combine(".aws", "config"),
        ["AWS_SHARED_CREDENTIALS_FILE"] = home.Combine(".aws", "credentials"),
        ["AWS_PROFILE"] = null,
        ["AWS_ACCESS_KEY_ID"] = null,
        ["AWS_SECRET_ACCESS_KEY"] = null,
        ["AWS_SESSION_TOKEN"] = null,
        ["AWS_ENDPOINT_URL"] = null,
        ["AWS_ENDPOINT_URL_STS"] = null,
        ["AWS_REGION"] = "us-east-1",
        ["AWS_EC2_METADATA_DISABLED"] = "true",
        ["XDG_CACHE_HOME"] = null,
        ["XDG_CONFIG_HOME"] = null,
        ["BASALT_CREDENTIAL_SETTINGS"] = null,
        ["BASALT_CREDENTIAL_KEY_STORE"] = null,
        ["BROWSER"] = "/nonexistent/browser",
        ["CLAUDE_HELPER_CONTEXT"] = context,
    };

    private static async Task<int> StatusAsync(GatewayTestHost host, string token, string model)
    {
        using var client = host.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var content = new StringContent($$"""{"model":"{{model}}","max_tokens":32,"messages":[{"role":"user","content":"hello"}]}""", Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/v1/messages", content);
        return (int)response.StatusCode;
    }
}
