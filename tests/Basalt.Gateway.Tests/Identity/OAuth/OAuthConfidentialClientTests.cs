using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Basalt.Gateway.Tests.TestSupport;
using Basalt.Identity.OAuth;
using Basalt.Testing;

namespace Basalt.Gateway.Tests.Identity.OAuth;

/// <summary>
/// The gateway's client at the IdP may be confidential (issue 9; an Entra "Web" app needs a secret): oidc-provider
/// registers <c>basalt-gateway-confidential</c> with a secret and <c>client_secret_basic</c>, so the code exchange
/// succeeds only with <c>identity.oauth.signIn.clientSecret</c> (a <c>${env:}</c> reference) sent as discovery says.
/// </summary>
public sealed class OAuthConfidentialClientTests
{
    [Fact]
    public async Task A_device_sign_in_through_a_confidential_IdP_client_works_with_its_secret_and_is_declined_with_a_wrong_one()
    {
        await using var idp = await TestIdp.StartAsync();
        using var dir = new TempDirectory("oauth-confidential");

        await using (var host = await StartAsync(idp, dir.Combine("right.db"), "gateway-test-secret"))
        {
            var device = await StartDeviceAsync(host);
            var browser = await TestIdp.BrowseAsync((string)device["verification_uri_complete"]!, "--login", "bob");
            Assert.True(browser.ExitCode == 0 && browser.Stdout.Contains("done Signed in", StringComparison.Ordinal), browser.ToString());
            await Task.Delay(TimeSpan.FromSeconds(1.1));
            var (status, tokens) = await PollAsync(host, device);
            Assert.True(status == 200, tokens.ToJsonString());
            Assert.Equal(200, await MessageAsync(host, (string)tokens["access_token"]!, "haiku"));
            Assert.Equal(403, await MessageAsync(host, (string)tokens["access_token"]!, "sonnet"));
        }

        await using (var host = await StartAsync(idp, dir.Combine("wrong.db"), "not-the-secret"))
        {
            var device = await StartDeviceAsync(host);
            var browser = await TestIdp.BrowseAsync((string)device["verification_uri_complete"]!, "--login", "bob");
            // The IdP refused the gateway's code exchange, so the gateway's callback page says the sign-in failed (400).
            Assert.Contains("error 400 at /oauth/callback", browser.Stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("not-the-secret", browser.Stdout, StringComparison.Ordinal);
            await Task.Delay(TimeSpan.FromSeconds(1.1));
            var (status, body) = await PollAsync(host, device);
            Assert.Equal(400, status);
            Assert.Equal("access_denied", (string?)body["error"]);
            Assert.Empty(host.Emulator.RequestLog.Snapshot());
        }
    }

    private static Task<GatewayTestHost> StartAsync(TestIdp idp, string store, string secret)
    {
        var identity = $$"""
              identity:
                oidc:
                  - { issuer: "{{idp.Issuer}}", audiences: [basalt-gateway-confidential], clientId: basalt-gateway-confidential }
                oauth:
                  signIn: { issuer: "{{idp.Issuer}}", clientId: basalt-gateway-confidential, clientSecret: "${env:IDP_CLIENT_SECRET}", scopes: [openid, profile, email, groups] }
                  pollInterval: 1s
                  sqlite: "{{store}}"

            """;
        return GatewayTestHost.StartAsync(new GatewayTestOptions
        {
            GatewayYaml = e => GatewayTestHost.GatewayYaml(e, new GatewayTestOptions()) + identity,
            Environment = new Dictionary<string, string> { ["IDP_CLIENT_SECRET"] = secret },
        });
    }

    private static async Task<JsonObject> StartDeviceAsync(GatewayTestHost host)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(host.BaseUrl + OAuthPaths.DeviceAuthorization, new FormUrlEncodedContent(new Dictionary<string, string> { ["client_id"] = OAuthGateway.DesktopClient }));
        Assert.Equal(200, (int)response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private static async Task<(int Status, JsonObject Body)> PollAsync(GatewayTestHost host, JsonObject device)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(host.BaseUrl + OAuthPaths.Token, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = OAuthAuthority.DeviceCodeGrantType,
            ["device_code"] = (string)device["device_code"]!,
            ["client_id"] = OAuthGateway.DesktopClient,
        }));
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    private static async Task<int> MessageAsync(GatewayTestHost host, string token, string model)
    {
        using var client = host.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var content = new StringContent($$"""{"model":"{{model}}","max_tokens":16,"messages":[{"role":"user","content":"hello"}]}""", Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/v1/messages", content);
        return (int)response.StatusCode;
    }
}
