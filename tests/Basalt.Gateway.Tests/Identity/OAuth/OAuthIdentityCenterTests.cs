using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Basalt.Credentials.Oidc;
using Basalt.Gateway.Tests.TestSupport;
using Basalt.Identity;
using Basalt.Identity.OAuth;
using Basalt.Testing;

namespace Basalt.Gateway.Tests.Identity.OAuth;

/// <summary>
/// IAM Identity Center as the person's sign-in step of the gateway's device grant (issue 9 item 3, "or through IAM
/// Identity Center"), against the emulator's sso-oidc (<c>/authorize</c>, authorization_code grant), portal and STS:
/// the token the gateway issues reaches the models of the person's permission set's group and no others, and the
/// person is the same principal as when they present a presigned GetCallerIdentity token made by the AWS SDK for
/// JavaScript. State, code and redirect tampering, ambiguous roles and an unreachable Identity Center are refused
/// with a page that names the problem.
/// </summary>
public sealed class OAuthIdentityCenterTests(IdentityCenterGateway gateway) : IClassFixture<IdentityCenterGateway>
{
    [Fact]
    public async Task Device_grant_through_identity_center_issues_a_token_for_the_permission_sets_group_and_the_same_principal_as_a_presigned_token()
    {
        using (var http = new HttpClient())
        {
            // The metadata names the sign-in service, for 'basalt gateway doctor'.
            var metadata = JsonNode.Parse(await http.GetStringAsync(gateway.BaseUrl + OAuthPaths.Metadata))!;
            Assert.Equal(OAuthAuthority.IdentityCenterSignInKind, (string?)metadata[OAuthAuthority.SignInKindParameter]);
            Assert.Equal(IdentityCenterGateway.StartUrl, (string?)metadata[OAuthAuthority.SignInServiceParameter]);
        }

        var device = await IdentityCenterGateway.StartDeviceAsync(gateway.BaseUrl);
        var page = await IdentityCenterGateway.SignInAsync(device, "alice");
        Assert.True(page.Status == 200, page.Html);
        Assert.Contains("Signed in as alice", page.Text, StringComparison.Ordinal);
        Assert.Contains(page.Visited, u => u.AbsolutePath == OAuthPaths.Callback);

        var (status, tokens) = await IdentityCenterGateway.PollUntilDoneAsync(gateway.BaseUrl, device);
        Assert.True(status == 200, tokens.ToJsonString());
        var access = (string)tokens["access_token"]!;

        var before = gateway.Host.Usage.Events.Count;
        Assert.Equal(200, (await MessageAsync(access, "haiku")).Status);
        var (denied, deniedBody) = await MessageAsync(access, "sonnet");
        Assert.True(denied == 403, deniedBody);
        Assert.Contains("model claude-sonnet-4-5 is not allowed", deniedBody, StringComparison.Ordinal);
        var signedIn = (await gateway.Host.Usage.WaitAsync(before + 1))[before].Principal;
        Assert.Equal(AuthenticationMethod.GatewayToken, signedIn.Method);
        Assert.StartsWith($"arn:aws:sts::{IdentityCenterGateway.Account}:assumed-role/AWSReservedSSO_BedrockInference_", signedIn.UserId, StringComparison.Ordinal);
        Assert.EndsWith("/alice", signedIn.UserId, StringComparison.Ordinal);
        Assert.Equal(["limited"], signedIn.Groups);

        // The same person by the other door: a presigned GetCallerIdentity token the AWS SDK for JavaScript makes
        // from alice's own Identity Center role credentials.
        var presigned = await GatewayTestHost.NodeAsync("aws-identity-token.mjs", new
        {
            ssoEndpoint = gateway.IdentityCenterUrl,
            stsEndpoint = gateway.IdentityCenterUrl,
            region = "us-east-1",
            approveAs = "alice",
            accountId = IdentityCenterGateway.Account,
            roleName = "BedrockInference",
            audience = IdentityCenterGateway.Audience,
        });
        var count = gateway.Host.Usage.Events.Count;
        Assert.Equal(200, (await MessageAsync((string)presigned["token"]!, "haiku")).Status);
        var direct = (await gateway.Host.Usage.WaitAsync(count + 1))[count].Principal;
        Assert.Equal(AuthenticationMethod.AwsIdentity, direct.Method);
        Assert.Equal(direct.UserId, signedIn.UserId);
        Assert.Equal(direct.DisplayName, signedIn.DisplayName);
        Assert.Equal(direct.Groups, signedIn.Groups);
    }

    [Fact]
    public async Task Authorization_code_with_pkce_through_identity_center_issues_a_token_for_the_permission_sets_group()
    {
        var verifier = Pkce.CreateVerifier();
        var redirect = "http://127.0.0.1:53682/callback";
        var query = await IdentityCenterGateway.AuthorizeAsync(gateway.BaseUrl, "alice", redirect, Pkce.Challenge(verifier), "cli-state-7");
        Assert.Equal("cli-state-7", query["state"]);
        Assert.Equal(gateway.BaseUrl, query["iss"]);

        using var http = new HttpClient();
        using var response = await http.PostAsync(gateway.BaseUrl + OAuthPaths.Token, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = query["code"],
            ["redirect_uri"] = redirect,
            ["client_id"] = OAuthGateway.CliClient,
            ["code_verifier"] = verifier,
        }));
        var tokens = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.True(response.IsSuccessStatusCode, tokens.ToJsonString());

        var before = gateway.Host.Usage.Events.Count;
        Assert.Equal(200, (await MessageAsync((string)tokens["access_token"]!, "haiku")).Status);
        Assert.Equal(403, (await MessageAsync((string)tokens["access_token"]!, "sonnet")).Status);
        var principal = (await gateway.Host.Usage.WaitAsync(before + 1))[before].Principal;
        Assert.EndsWith("/alice", principal.UserId, StringComparison.Ordinal);
        Assert.Equal(["limited"], principal.Groups);
    }

    [Fact]
    public async Task A_second_permission_set_maps_to_its_own_group_when_the_gateway_names_the_role()
    {
        using var dir = new TempDirectory("oauth-idc-role");
        await using var host = await IdentityCenterGateway.StartHostAsync(gateway.IdentityCenterUrl, gateway.IdentityCenterUrl, dir.Combine("oauth.db"),
            $", accountId: \"{IdentityCenterGateway.Account}\", roleName: BedrockAdmin");
        var device = await IdentityCenterGateway.StartDeviceAsync(host.BaseUrl);
        var page = await IdentityCenterGateway.SignInAsync(device, "bob");
        Assert.True(page.Status == 200, page.Html);
        var (status, tokens) = await IdentityCenterGateway.PollUntilDoneAsync(host.BaseUrl, device);
        Assert.True(status == 200, tokens.ToJsonString());

        using var client = host.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)tokens["access_token"]!);
        using var response = await client.PostAsync("/v1/messages", Message("sonnet"));
        Assert.Equal(200, (int)response.StatusCode);
        var principal = Assert.Single(await host.Usage.WaitAsync(1)).Principal;
        Assert.Contains("AWSReservedSSO_BedrockAdmin_", principal.UserId, StringComparison.Ordinal);
        Assert.Equal(["engineering"], principal.Groups);
    }

    [Theory]
    [InlineData("bob", "you have 2 permission sets in AWS account 111122223333 (BedrockInference, BedrockAdmin)", "identity.oauth.signIn.identityCenter.roleName")]
    [InlineData("carol", "you have access to 2 AWS accounts", "identity.oauth.signIn.identityCenter.accountId")]
    [InlineData("dave", "no AWS account is assigned to you in IAM Identity Center", "Ask IT to assign you one")]
    public async Task An_ambiguous_or_missing_role_is_a_page_naming_the_config_key_and_the_device_is_denied(string user, string problem, string fix)
    {
        var device = await IdentityCenterGateway.StartDeviceAsync(gateway.BaseUrl);
        var page = await IdentityCenterGateway.SignInAsync(device, user);

        Assert.Equal(400, page.Status);
        Assert.Contains("Sign-in failed", page.Text, StringComparison.Ordinal);
        Assert.True(page.Text.Contains(problem, StringComparison.Ordinal) && page.Text.Contains(fix, StringComparison.Ordinal), page.Text);
        Assert.DoesNotContain(" at Basalt.", page.Text, StringComparison.Ordinal);
        var logged = Assert.Single(gateway.Log.Warnings, w => w.Message.Contains(problem, StringComparison.Ordinal));
        Assert.Equal(8041, logged.EventId);
        Assert.Null(logged.Exception);
        Assert.Contains(IdentityCenterGateway.StartUrl, logged.Message, StringComparison.Ordinal);
        var (status, body) = await IdentityCenterGateway.PollAsync(gateway.BaseUrl, device);
        Assert.Equal(400, status);
        Assert.Equal("access_denied", (string?)body["error"]);
    }

    [Fact]
    public async Task Denying_at_identity_center_denies_the_device()
    {
        var device = await IdentityCenterGateway.StartDeviceAsync(gateway.BaseUrl);
        var page = await IdentityCenterGateway.SignInAsync(device, "alice", allow: false);

        Assert.Equal(400, page.Status);
        Assert.Contains("(declined)", page.Text, StringComparison.Ordinal);
        Assert.Equal("access_denied", (string?)(await IdentityCenterGateway.PollAsync(gateway.BaseUrl, device)).Body["error"]);
    }

    [Fact]
    public async Task A_replayed_callback_a_forged_state_and_a_tampered_redirect_uri_are_refused()
    {
        // A complete sign-in, then its callback URL (code and state) presented again: the state was used.
        var device = await IdentityCenterGateway.StartDeviceAsync(gateway.BaseUrl);
        var page = await IdentityCenterGateway.SignInAsync(device, "alice");
        Assert.Equal(200, page.Status);
        var callback = page.Visited[^1];
        using var browser = new IdentityCenterGateway.Browser();
        var replay = await browser.GetAsync(callback);
        Assert.Equal(400, replay.Status);
        Assert.Contains("not valid any more", replay.Text, StringComparison.Ordinal);

        // The same code under a state the gateway never issued.
        var query = OAuthGateway.ParseQuery(callback.Query);
        var forged = await browser.GetAsync(new Uri($"{gateway.BaseUrl}{OAuthPaths.Callback}?code={Uri.EscapeDataString(query["code"])}&state=forged-state"));
        Assert.Equal(400, forged.Status);
        Assert.Contains("not valid any more", forged.Text, StringComparison.Ordinal);

        // The code itself cannot be redeemed twice at Identity Center either: a new sign-in whose callback carries
        // the first sign-in's (used) code is refused by CreateToken, and the device is denied.
        var second = await IdentityCenterGateway.StartDeviceAsync(gateway.BaseUrl);
        using var relay = new IdentityCenterGateway.Browser();
        var secondPage = await IdentityCenterGateway.SignInAsync(second, "alice", tamperIdentityCenterRedirect: authorize =>
        {
            // Let the person reach Identity Center, but capture the state and send the old code with it instead.
            var state = OAuthGateway.ParseQuery(authorize.Query)["state"];
            return new Uri($"{gateway.BaseUrl}{OAuthPaths.Callback}?code={Uri.EscapeDataString(query["code"])}&state={Uri.EscapeDataString(state)}");
        });
        Assert.Equal(400, secondPage.Status);
        Assert.True(secondPage.Text.Contains("IAM Identity Center refused the sign-in code (InvalidGrantException", StringComparison.Ordinal), secondPage.Text);
        Assert.Equal("access_denied", (string?)(await IdentityCenterGateway.PollAsync(gateway.BaseUrl, second)).Body["error"]);

        // A redirect_uri other than the gateway's registered callback: Identity Center shows an error and redirects nowhere.
        var third = await IdentityCenterGateway.StartDeviceAsync(gateway.BaseUrl);
        var tampered = await IdentityCenterGateway.SignInAsync(third, "alice", tamperIdentityCenterRedirect: authorize =>
        {
            var uri = authorize.OriginalString;
            var at = uri.IndexOf("redirect_uri=", StringComparison.Ordinal) + "redirect_uri=".Length;
            var end = uri.IndexOf('&', at);
            return new Uri(uri[..at] + Uri.EscapeDataString("http://127.0.0.1:1/steal") + uri[end..]);
        });
        Assert.Equal(400, tampered.Status);
        Assert.Null(tampered.Location);
        Assert.Contains("Invalid redirect_uri", tampered.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Identity_center_unreachable_is_a_502_page_naming_it_and_no_upstream_call()
    {
        using var dir = new TempDirectory("oauth-idc-down");
        var log = new AccessLog();
        await using var host = await IdentityCenterGateway.StartHostAsync(gateway.IdentityCenterUrl, "http://127.0.0.1:9", dir.Combine("oauth.db"), log: log);
        var device = await IdentityCenterGateway.StartDeviceAsync(host.BaseUrl);
        var page = await IdentityCenterGateway.SignInAsync(device, "alice");

        Assert.Equal(502, page.Status);
        Assert.Contains("Sign-in is unavailable", page.Text, StringComparison.Ordinal);
        Assert.True(page.Text.Contains($"sign-in service ({IdentityCenterGateway.StartUrl}) cannot be reached right now: IAM Identity Center in us-east-1 did not register the gateway", StringComparison.Ordinal), page.Text);
        Assert.Contains("did not register the gateway", page.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(" at Amazon.", page.Text, StringComparison.Ordinal);
        var logged = Assert.Single(log.Warnings);
        Assert.Equal(8040, logged.EventId);
        Assert.Null(logged.Exception);
        Assert.Contains("did not register the gateway", logged.Message, StringComparison.Ordinal);
        Assert.Empty(host.Emulator.RequestLog.Snapshot());
        Assert.Equal("authorization_pending", (string?)(await IdentityCenterGateway.PollAsync(host.BaseUrl, device)).Body["error"]);
    }

    private async Task<(int Status, string Body)> MessageAsync(string accessToken, string model)
    {
        using var client = gateway.Host.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await client.PostAsync("/v1/messages", Message(model));
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static StringContent Message(string model)
        => new($$"""{"model":"{{model}}","max_tokens":32,"messages":[{"role":"user","content":"hello"}]}""", Encoding.UTF8, "application/json");
}
