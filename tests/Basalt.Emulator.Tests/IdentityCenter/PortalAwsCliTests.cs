using System.Text.Json;
using Amazon.Runtime;
using Amazon.SSOOIDC;
using Amazon.SSOOIDC.Model;
using Basalt.Emulator.Tests.TestSupport;

namespace Basalt.Emulator.Tests.IdentityCenter;

/// <summary>The AWS CLI v2's <c>aws sso</c> portal commands against the emulator, with a token from a real device sign-in.</summary>
public sealed class PortalAwsCliTests
{
    [Fact]
    public async Task Sso_list_accounts_and_get_role_credentials()
    {
        var org = new TestOrg();
        await using var emulator = await EmulatorServer.StartAsync(org.Options);
        var accessToken = await SignInAsync(emulator, "alice");

        var accounts = await AwsCli.RunAsync(emulator, null, "sso", "list-accounts", "--access-token", accessToken);
        var credentials = await AwsCli.RunAsync(emulator, null, "sso", "get-role-credentials", "--access-token", accessToken,
            "--account-id", TestOrg.Account, "--role-name", "BedrockInference", "--query", "{KeyId: roleCredentials.accessKeyId, Expiration: roleCredentials.expiration}");
        var denied = await AwsCli.RunAsync(emulator, null, "sso", "get-role-credentials", "--access-token", accessToken,
            "--account-id", TestOrg.OtherAccount, "--role-name", "BedrockInference");

        Assert.True(accounts.ExitCode == 0, accounts.Stderr);
        using var list = JsonDocument.Parse(accounts.Stdout);
        Assert.Equal([TestOrg.Account, TestOrg.OtherAccount], list.RootElement.GetProperty("accountList").EnumerateArray().Select(a => a.GetProperty("accountId").GetString()));
        Assert.True(credentials.ExitCode == 0, credentials.Stderr);
        using var creds = JsonDocument.Parse(credentials.Stdout);
        Assert.StartsWith("ASIA", creds.RootElement.GetProperty("KeyId").GetString(), StringComparison.Ordinal);
        Assert.InRange(DateTimeOffset.FromUnixTimeMilliseconds(creds.RootElement.GetProperty("Expiration").GetInt64()) - DateTimeOffset.UtcNow, TimeSpan.FromHours(7.9), TimeSpan.FromHours(8.1));
        Assert.NotEqual(0, denied.ExitCode);
        Assert.Contains("An error occurred (ForbiddenException) when calling the GetRoleCredentials operation: No access", denied.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sso_list_account_roles_works_until_the_token_is_logged_out()
    {
        var org = new TestOrg();
        await using var emulator = await EmulatorServer.StartAsync(org.Options);
        var accessToken = await SignInAsync(emulator, "bob");

        var roles = await AwsCli.RunAsync(emulator, null, "sso", "list-account-roles", "--access-token", accessToken, "--account-id", TestOrg.Account);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(emulator.BaseAddress, "logout"));
        request.Headers.Add("x-amz-sso_bearer_token", accessToken);
        using var loggedOut = await http.SendAsync(request);
        var after = await AwsCli.RunAsync(emulator, null, "sso", "list-account-roles", "--access-token", accessToken, "--account-id", TestOrg.Account);

        Assert.True(roles.ExitCode == 0, roles.Stderr);
        using var json = JsonDocument.Parse(roles.Stdout);
        Assert.Equal("BedrockInference", json.RootElement.GetProperty("roleList").EnumerateArray().Single().GetProperty("roleName").GetString());
        Assert.True(loggedOut.IsSuccessStatusCode);
        Assert.Contains("(UnauthorizedException)", after.Stderr, StringComparison.Ordinal);
    }

    /// <summary>A device sign-in with the official .NET OIDC client, approved over HTTP as <paramref name="user"/>.</summary>
    internal static async Task<string> SignInAsync(EmulatorServer emulator, string user)
    {
        using var oidc = new AmazonSSOOIDCClient(new AnonymousAWSCredentials(), new AmazonSSOOIDCConfig { ServiceURL = emulator.BaseAddress.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        var client = await oidc.RegisterClientAsync(new RegisterClientRequest { ClientName = "cli-test", ClientType = "public" });
        var device = await oidc.StartDeviceAuthorizationAsync(new StartDeviceAuthorizationRequest { ClientId = client.ClientId, ClientSecret = client.ClientSecret, StartUrl = "https://d-9067example.awsapps.com/start" });
        using (var http = new HttpClient())
        {
            using var approved = await http.PostAsync(new Uri(emulator.BaseAddress, "device"), new FormUrlEncodedContent(new Dictionary<string, string> { ["user_code"] = device.UserCode, ["user"] = user }));
            approved.EnsureSuccessStatusCode();
        }

        var token = await oidc.CreateTokenAsync(new CreateTokenRequest { ClientId = client.ClientId, ClientSecret = client.ClientSecret, GrantType = "urn:ietf:params:oauth:grant-type:device_code", DeviceCode = device.DeviceCode });
        return token.AccessToken;
    }
}
