using System.Text.Json.Nodes;
using Basalt.Emulator.Tests.TestSupport;

namespace Basalt.Emulator.Tests.IdentityCenter;

/// <summary>
/// The whole IAM Identity Center sign-in with the real AWS SDK for JavaScript v3 (client-sso-oidc, client-sso,
/// client-sts): device authorization with pending and slow_down, approval over HTTP, token, refresh rotation,
/// portal calls, the issued role credentials used against STS, and logout.
/// </summary>
public sealed class DeviceFlowJavaScriptSdkTests
{
    [Fact]
    public async Task Device_flow_refresh_and_portal_work_end_to_end()
    {
        var org = new TestOrg();
        await using var emulator = await EmulatorServer.StartAsync(org.Options);

        var answer = await NodePeer.RunAsync("sso/device-flow.mjs", new { endpoint = emulator.BaseAddress, approveAs = "alice", scopes = new[] { "sso:account:access" } });

        Assert.True(answer["ok"]!.GetValue<bool>(), answer.ToJsonString());
        var steps = answer["steps"]!.AsArray().ToDictionary(s => s!["name"]!.GetValue<string>(), s => s!);
        Assert.True(steps["RegisterClient"]!["secretExpiresInFuture"]!.GetValue<bool>());
        Assert.Matches("^[A-Z]{4}-[A-Z]{4}$", steps["StartDeviceAuthorization"]!["userCode"]!.GetValue<string>());
        Assert.Equal(new Uri(emulator.BaseAddress, "device").ToString(), steps["StartDeviceAuthorization"]!["verificationUri"]!.GetValue<string>());
        Assert.Equal(600, steps["StartDeviceAuthorization"]!["expiresIn"]!.GetValue<int>());
        AssertFailure(steps["CreateToken.pending"]!, "AuthorizationPendingException", "authorization_pending", 400);
        AssertFailure(steps["CreateToken.tooFast"]!, "SlowDownException", "slow_down", 400);
        Assert.True(steps["ApprovalPage"]!["showsUserCode"]!.GetValue<bool>());
        Assert.Equal(200, steps["Approve"]!["status"]!.GetValue<int>());
        Assert.Equal("Bearer", steps["CreateToken.approved"]!["tokenType"]!.GetValue<string>());
        Assert.True(steps["CreateToken.approved"]!["hasRefreshToken"]!.GetValue<bool>());
        AssertFailure(steps["CreateToken.reuseDeviceCode"]!, "InvalidGrantException", "invalid_grant", 400);
        Assert.True(steps["CreateToken.refresh"]!["rotated"]!.GetValue<bool>());
        Assert.True(steps["CreateToken.refresh"]!["newAccessToken"]!.GetValue<bool>());
        AssertFailure(steps["CreateToken.reuseRefreshToken"]!, "InvalidGrantException", "invalid_grant", 400);

        var accounts = steps["ListAccounts"]!["accountList"]!.AsArray();
        Assert.Equal(["111122223333", "444455556666"], accounts.Select(a => a!["accountId"]!.GetValue<string>()));
        Assert.Equal("Example Corp Engineering", accounts[0]!["accountName"]!.GetValue<string>());
        Assert.Equal("aws-engineering@example.com", accounts[0]!["emailAddress"]!.GetValue<string>());
        Assert.Equal("BedrockInference", Assert.Single(steps["ListAccountRoles"]!["roleList"]!.AsArray())!["roleName"]!.GetValue<string>());
        Assert.Equal("ASIA", steps["GetRoleCredentials"]!["accessKeyIdPrefix"]!.GetValue<string>());
        Assert.InRange(steps["GetRoleCredentials"]!["expiresInSeconds"]!.GetValue<int>(), 8 * 3600 - 60, 8 * 3600 + 5);
        Assert.Matches("^arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_BedrockInference_[0-9a-f]{16}/alice$", steps["GetCallerIdentity"]!["Arn"]!.GetValue<string>());
        AssertFailure(steps["ListAccounts.afterLogout"]!, "UnauthorizedException", null, 401);

        var log = emulator.RequestLog.Snapshot();
        Assert.Contains(log, e => e.PrincipalArn == "arn:aws:identitystore:::user/alice" && e.Operation == "GetRoleCredentials" && e.Succeeded);
        Assert.Contains(log, e => e.Service == "sso-oidc" && e.Operation == "CreateToken" && e.Outcome == "SlowDownException");
    }

    [Fact]
    public async Task Legacy_clients_without_scopes_get_no_refresh_token()
    {
        var org = new TestOrg();
        await using var emulator = await EmulatorServer.StartAsync(org.Options);

        var answer = await NodePeer.RunAsync("sso/device-flow.mjs", new { endpoint = emulator.BaseAddress, approveAs = "bob", scopes = Array.Empty<string>() });

        Assert.True(answer["ok"]!.GetValue<bool>(), answer.ToJsonString());
        var steps = answer["steps"]!.AsArray().ToDictionary(s => s!["name"]!.GetValue<string>(), s => s!);
        Assert.False(steps["CreateToken.approved"]!["hasRefreshToken"]!.GetValue<bool>());
        Assert.False(steps.ContainsKey("CreateToken.refresh"));
        Assert.Equal(["111122223333"], steps["ListAccounts"]!["accountList"]!.AsArray().Select(a => a!["accountId"]!.GetValue<string>()));
        Assert.EndsWith("/bob", steps["GetCallerIdentity"]!["Arn"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static void AssertFailure(JsonNode step, string name, string? error, int status)
    {
        Assert.False(step["ok"]!.GetValue<bool>(), step.ToJsonString());
        Assert.Equal(name, step["errorName"]!.GetValue<string>());
        if (error is not null)
        {
            Assert.Equal(error, step["error"]!.GetValue<string>());
        }

        Assert.Equal(status, step["status"]!.GetValue<int>());
    }
}
