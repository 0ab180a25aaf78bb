using System.Net;
using Amazon.Runtime;
using Amazon.SSO;
using Amazon.SSO.Model;
using Amazon.SSOOIDC;
using Amazon.SSOOIDC.Model;
using Basalt.Emulator.Tests.TestSupport;
using Basalt.Emulator.Time;

namespace Basalt.Emulator.Tests.IdentityCenter;

/// <summary>
/// Device-flow and portal failure paths with the official AWS SDK for .NET (AWSSDK.SSOOIDC, AWSSDK.SSO) and a
/// controlled clock: expired device codes, slow_down, denial, bad clients, expired and unassigned access.
/// </summary>
public sealed class IdentityCenterFailureTests
{
    private const string DeviceGrant = "urn:ietf:params:oauth:grant-type:device_code";

    private static AmazonSSOOIDCClient Oidc(EmulatorServer emulator)
        => new(new AnonymousAWSCredentials(), new AmazonSSOOIDCConfig { ServiceURL = emulator.BaseAddress.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    private static AmazonSSOClient Portal(EmulatorServer emulator)
        => new(new AnonymousAWSCredentials(), new AmazonSSOConfig { ServiceURL = emulator.BaseAddress.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    private static async Task<(RegisterClientResponse Client, StartDeviceAuthorizationResponse Device)> StartAsync(AmazonSSOOIDCClient oidc)
    {
        var client = await oidc.RegisterClientAsync(new RegisterClientRequest { ClientName = "dotnet-test", ClientType = "public", Scopes = ["sso:account:access"] });
        var device = await oidc.StartDeviceAuthorizationAsync(new StartDeviceAuthorizationRequest { ClientId = client.ClientId, ClientSecret = client.ClientSecret, StartUrl = "https://d-9067example.awsapps.com/start" });
        return (client, device);
    }

    private static CreateTokenRequest Poll(RegisterClientResponse client, StartDeviceAuthorizationResponse device)
        => new() { ClientId = client.ClientId, ClientSecret = client.ClientSecret, GrantType = DeviceGrant, DeviceCode = device.DeviceCode };

    private static async Task ApproveAsync(EmulatorServer emulator, string userCode, string user, string decision = "approve")
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(emulator.BaseAddress, "device"), new FormUrlEncodedContent(new Dictionary<string, string> { ["user_code"] = userCode, ["user"] = user, ["decision"] = decision }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Device_code_expires_after_its_lifetime()
    {
        var clock = new ManualTimeProvider();
        var org = new TestOrg(time: clock);
        await using var emulator = await EmulatorServer.StartAsync(org.Options);
        using var oidc = Oidc(emulator);
        var (client, device) = await StartAsync(oidc);

        clock.Advance(TimeSpan.FromSeconds(device.ExpiresIn!.Value + 1));
        var e = await Assert.ThrowsAsync<Amazon.SSOOIDC.Model.ExpiredTokenException>(() => oidc.CreateTokenAsync(Poll(client, device)));

        Assert.Equal("expired_token", e.Error);
        Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
        using var http = new HttpClient();
        using var late = await http.PostAsync(new Uri(emulator.BaseAddress, "device"), new FormUrlEncodedContent(new Dictionary<string, string> { ["user_code"] = device.UserCode, ["user"] = "alice", ["decision"] = "approve" }));
        Assert.Equal(HttpStatusCode.BadRequest, late.StatusCode);
    }

    [Fact]
    public async Task Polling_faster_than_the_interval_is_slow_down_and_waiting_the_interval_recovers()
    {
        var clock = new ManualTimeProvider();
        var org = new TestOrg(time: clock);
        org.Options.IdentityCenter = org.Options.IdentityCenter with { PollInterval = TimeSpan.FromSeconds(5) };
        await using var emulator = await EmulatorServer.StartAsync(org.Options);
        using var oidc = Oidc(emulator);
        var (client, device) = await StartAsync(oidc);

        await Assert.ThrowsAsync<AuthorizationPendingException>(() => oidc.CreateTokenAsync(Poll(client, device)));
        clock.Advance(TimeSpan.FromSeconds(2));
        var slow = await Assert.ThrowsAsync<SlowDownException>(() => oidc.CreateTokenAsync(Poll(client, device)));
        await ApproveAsync(emulator, device.UserCode, "alice");
        clock.Advance(TimeSpan.FromSeconds(5));
        var token = await oidc.CreateTokenAsync(Poll(client, device));

        Assert.Equal(5, device.Interval);
        Assert.Equal("slow_down", slow.Error);
        Assert.False(string.IsNullOrEmpty(token.AccessToken));
        Assert.Equal(1, emulator.IdentityCenter.DeviceAuthorizations().Single().SlowDowns);
    }

    [Fact]
    public async Task Denied_sign_in_is_AccessDeniedException()
    {
        var org = new TestOrg();
        await using var emulator = await EmulatorServer.StartAsync(org.Options);
        using var oidc = Oidc(emulator);
        var (client, device) = await StartAsync(oidc);

        await ApproveAsync(emulator, device.UserCode, "bob", decision: "deny");
        var e = await Assert.ThrowsAsync<Amazon.SSOOIDC.Model.AccessDeniedException>(() => oidc.CreateTokenAsync(Poll(client, device)));

        Assert.Equal("access_denied", e.Error);
    }

    [Fact]
    public async Task Wrong_client_secret_is_InvalidClientException_401()
    {
        var org = new TestOrg();
        await using var emulator = await EmulatorServer.StartAsync(org.Options);
        using var oidc = Oidc(emulator);
        var (client, _) = await StartAsync(oidc);

        var e = await Assert.ThrowsAsync<InvalidClientException>(() => oidc.StartDeviceAuthorizationAsync(new StartDeviceAuthorizationRequest { ClientId = client.ClientId, ClientSecret = "not-the-secret", StartUrl = "https://d-9067example.awsapps.com/start" }));

        Assert.Equal(HttpStatusCode.Unauthorized, e.StatusCode);
        Assert.Equal("invalid_client", e.Error);
    }

    [Fact]
    public async Task Unknown_refresh_token_is_InvalidGrantException_and_unknown_grant_is_unsupported()
    {
        var org = new TestOrg();
        await using var emulator = await EmulatorServer.StartAsync(org.Options);
        using var oidc = Oidc(emulator);
        var (client, _) = await StartAsync(oidc);

        var grant = await Assert.ThrowsAsync<InvalidGrantException>(() => oidc.CreateTokenAsync(new CreateTokenRequest { ClientId = client.ClientId, ClientSecret = client.ClientSecret, GrantType = "refresh_token", RefreshToken = "aor-made-up" }));
        var unsupported = await Assert.ThrowsAsync<UnsupportedGrantTypeException>(() => oidc.CreateTokenAsync(new CreateTokenRequest { ClientId = client.ClientId, ClientSecret = client.ClientSecret, GrantType = "password" }));

        Assert.Equal("invalid_grant", grant.Error);
        Assert.Equal("unsupported_grant_type", unsupported.Error);
    }

    [Fact]
    public async Task Portal_rejects_expired_tokens_and_roles_the_user_is_not_assigned()
    {
        var clock = new ManualTimeProvider();
        var org = new TestOrg(time: clock);
        await using var emulator = await EmulatorServer.StartAsync(org.Options);
        using var oidc = Oidc(emulator);
        using var portal = Portal(emulator);
        var (client, device) = await StartAsync(oidc);
        await ApproveAsync(emulator, device.UserCode, "bob");
        var token = await oidc.CreateTokenAsync(Poll(client, device));

        var forbidden = await Assert.ThrowsAsync<AmazonSSOException>(() => portal.GetRoleCredentialsAsync(new GetRoleCredentialsRequest { AccessToken = token.AccessToken, AccountId = TestOrg.OtherAccount, RoleName = "ReadOnly" }));
        var ok = await portal.GetRoleCredentialsAsync(new GetRoleCredentialsRequest { AccessToken = token.AccessToken, AccountId = TestOrg.Account, RoleName = "BedrockInference" });
        clock.Advance(TimeSpan.FromSeconds(token.ExpiresIn!.Value + 1));
        var expired = await Assert.ThrowsAsync<UnauthorizedException>(() => portal.ListAccountsAsync(new ListAccountsRequest { AccessToken = token.AccessToken }));

        Assert.Equal("ForbiddenException", forbidden.ErrorCode);
        Assert.Equal("No access", forbidden.Message);
        Assert.StartsWith("ASIA", ok.RoleCredentials.AccessKeyId, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
    }

    [Fact]
    public async Task Portal_pages_accounts_with_max_result_and_next_token()
    {
        var org = new TestOrg();
        await using var emulator = await EmulatorServer.StartAsync(org.Options);
        using var oidc = Oidc(emulator);
        using var portal = Portal(emulator);
        var (client, device) = await StartAsync(oidc);
        await ApproveAsync(emulator, device.UserCode, "alice");
        var token = await oidc.CreateTokenAsync(Poll(client, device));

        var first = await portal.ListAccountsAsync(new ListAccountsRequest { AccessToken = token.AccessToken, MaxResults = 1 });
        var second = await portal.ListAccountsAsync(new ListAccountsRequest { AccessToken = token.AccessToken, MaxResults = 1, NextToken = first.NextToken });

        Assert.Equal(TestOrg.Account, Assert.Single(first.AccountList).AccountId);
        Assert.Equal(TestOrg.OtherAccount, Assert.Single(second.AccountList).AccountId);
        Assert.Null(second.NextToken);
    }
}
