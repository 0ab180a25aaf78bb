using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Basalt.Gateway.Tests.TestSupport;
using Basalt.Identity.OAuth;
using Basalt.Testing;

namespace Basalt.Gateway.Tests.Identity.OAuth;

/// <summary>
/// The person's step of the device grant when the organization's IdP cannot be reached: a page that says so (502,
/// <c>retry-after</c>) and names the IdP, not a 500 — nothing in the gateway failed.
/// </summary>
public sealed class OAuthIdentityProviderDownTests
{
    private const string DeadIssuer = "http://127.0.0.1:9/idp";

    [Fact]
    public async Task Approving_a_device_while_the_idp_is_unreachable_shows_a_page_naming_the_idp_with_502()
    {
        using var dir = new TempDirectory("oauth-idp-down");
        var identity = $$"""
              identity:
                oidc:
                  - { issuer: "{{DeadIssuer}}", audiences: [basalt-gateway], clientId: basalt-gateway }
                oauth:
                  signIn: { issuer: "{{DeadIssuer}}", clientId: basalt-gateway }
                  sqlite: "{{dir.Combine("oauth.db")}}"
            """;
        var options = new GatewayTestOptions();
        await using var host = await GatewayTestHost.StartAsync(new GatewayTestOptions { GatewayYaml = e => GatewayTestHost.GatewayYaml(e, options) + identity });
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });

        // Claude Code's device request: no client_id (the unnamed public client).
        using var started = await http.PostAsync(host.BaseUrl + OAuthPaths.DeviceAuthorization, new FormUrlEncodedContent(new Dictionary<string, string> { ["surface"] = "claude_code" }));
        var device = JsonNode.Parse(await started.Content.ReadAsStringAsync())!.AsObject();
        Assert.True(started.IsSuccessStatusCode, device.ToJsonString());

        using var page = await http.GetAsync((string)device["verification_uri_complete"]!);
        var html = await page.Content.ReadAsStringAsync();
        var cookie = page.Headers.GetValues("set-cookie").Single().Split(';')[0];
        var csrf = Regex.Match(html, "name=\"csrf\" value=\"([^\"]+)\"").Groups[1].Value;
        using var approve = new HttpRequestMessage(HttpMethod.Post, host.BaseUrl + OAuthPaths.Device)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["csrf"] = csrf, ["action"] = "approve", ["user_code"] = (string)device["user_code"]! }),
        };
        approve.Headers.TryAddWithoutValidation("cookie", cookie);
        using var answer = await http.SendAsync(approve);
        var text = WebUtility.HtmlDecode(await answer.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadGateway, answer.StatusCode);
        Assert.Equal("30", answer.Headers.GetValues("retry-after").Single());
        Assert.Contains("Sign-in is unavailable", text, StringComparison.Ordinal);
        Assert.Contains($"The organization's sign-in service ({DeadIssuer}) cannot be reached right now", text, StringComparison.Ordinal);
        Assert.True(text.Contains("could not reach the identity provider at http://127.0.0.1:9 (connection refused)", StringComparison.Ordinal), text);
        Assert.Empty(host.Emulator.RequestLog.Snapshot());
    }
}
