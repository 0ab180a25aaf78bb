using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Basalt.Gateway.Tests.TestSupport;
using Basalt.Testing;

namespace Basalt.Gateway.Tests.Identity;

/// <summary>
/// The organization's IdP is a real one, <c>oidc-provider</c> (tests/interop/oidc/idp.mjs): a person signs in there
/// (device grant, the browser step driven by browser.mjs), the ID token it issues carries their IdP groups, and the
/// gateway — configured only with the issuer and client id — lets the token reach the models the person's group
/// may use and refuses the others (issue 9, "Done when").
/// </summary>
public sealed class OidcProviderTests
{
    private const string ClientId = TestIdp.RsaClientId;

    [Fact]
    public async Task A_token_oidc_provider_issues_for_a_user_in_group_limited_reaches_haiku_and_is_refused_sonnet_while_engineering_reaches_both()
    {
        await using var idp = await TestIdp.StartAsync();
        var identity = $"  identity:\n    oidc:\n      - {{ issuer: \"{idp.Issuer}\", audiences: [{ClientId}], clientId: {ClientId} }}\n";
        await using var host = await GatewayTestHost.StartAsync(new GatewayTestOptions { GatewayYaml = e => GatewayTestHost.GatewayYaml(e, new GatewayTestOptions()) + identity });

        var bob = await SignInAsync(idp, "bob");
        Assert.Equal(200, await StatusAsync(host, bob, "haiku"));
        var before = host.Emulator.RequestLog.Snapshot().Count;
        var (status, body) = await MessageAsync(host, bob, "sonnet");
        Assert.Equal(403, status);
        Assert.Contains("model claude-sonnet-4-5 is not allowed for bob (your groups: limited)", body, StringComparison.Ordinal);
        Assert.Equal(before, host.Emulator.RequestLog.Snapshot().Count);

        var alice = await SignInAsync(idp, "alice");
        Assert.Equal(200, await StatusAsync(host, alice, "sonnet"));
        Assert.Equal(200, await StatusAsync(host, alice, "haiku"));
        Assert.Contains(await host.Usage.WaitAsync(3), e => e.Principal.UserId == "alice" && e.Principal.Method == Basalt.Identity.AuthenticationMethod.OidcBearer && e.Principal.Groups.Contains("engineering"));
    }

    /// <summary>RFC 8628 against the IdP: device authorization, the user's browser step, then the token request.</summary>
    private static async Task<string> SignInAsync(TestIdp idp, string login)
    {
        using var http = new HttpClient();
        using var start = await http.PostAsync($"{idp.Issuer}/device/auth", new FormUrlEncodedContent(new Dictionary<string, string> { ["client_id"] = ClientId, ["scope"] = "openid groups" }));
        var device = JsonNode.Parse(await start.Content.ReadAsStringAsync())!;
        Assert.True(start.IsSuccessStatusCode, device.ToJsonString());

        var browser = await TestIdp.BrowseAsync((string)device["verification_uri_complete"]!, "--login", login);
        Assert.True(browser.ExitCode == 0, browser.ToString());

        using var token = await http.PostAsync($"{idp.Issuer}/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = ClientId,
            ["grant_type"] = "urn:ietf:params:oauth:grant-type:device_code",
            ["device_code"] = (string)device["device_code"]!,
        }));
        var answer = JsonNode.Parse(await token.Content.ReadAsStringAsync())!;
        Assert.True(token.IsSuccessStatusCode, "token request failed: " + (string?)answer["error"]);
        return (string)answer["id_token"]!;
    }

    private static async Task<int> StatusAsync(GatewayTestHost host, string token, string model)
    {
        var (status, body) = await MessageAsync(host, token, model);
        Assert.True(status is 200 or 403, body);
        return status;
    }

    private static async Task<(int Status, string Body)> MessageAsync(GatewayTestHost host, string token, string model)
    {
        using var client = host.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var content = new StringContent($$"""{"model":"{{model}}","max_tokens":32,"messages":[{"role":"user","content":"hello"}]}""", Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/v1/messages", content);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
