using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Basalt.Gateway.Tests.TestSupport;
using Basalt.Identity.OAuth;
using Basalt.Testing;
using Basalt.Testing.Identity;

namespace Basalt.Gateway.Tests.Identity.OAuth;

/// <summary>
/// Two gateway replicas sharing one PostgreSQL (the usage store, so the authorization server's tables are there
/// too) behind one public URL (replica B's address is the configured issuer of both). A sign-in in progress lives
/// in the store, so its steps may reach different replicas without sticky sessions, codes are redeemed once even
/// when both replicas race for one, and a revocation on one replica reaches the other's token cache within
/// <c>revocationCheckInterval</c>.
/// </summary>
public sealed class OAuthReplicaTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("oauth-replicas");
    private readonly ShiftedClock _clock = new();
    private TestIdp _idp = null!;
    private GatewayTestHost _a = null!;
    private GatewayTestHost _b = null!;

    public async Task InitializeAsync()
    {
        _idp = await TestIdp.StartAsync();
        var postgres = await PostgresCluster.CreateDatabaseAsync("oauthrep");
        _b = await StartReplicaAsync("b", postgres, issuer: null);
        _a = await StartReplicaAsync("a", postgres, issuer: _b.BaseUrl);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
        await _idp.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task A_device_grant_started_on_replica_A_is_approved_through_replica_B_and_its_token_polled_on_A()
    {
        var device = await PostAsync(_a, OAuthPaths.DeviceAuthorization, ("client_id", OAuthGateway.DesktopClient), ("scope", "gateway"));
        Assert.Equal(200, device.Status);
        var page = (string)device.Body["verification_uri_complete"]!;
        Assert.StartsWith(_b.BaseUrl + OAuthPaths.Device, page, StringComparison.Ordinal);

        // B knows A's device code before anyone signs in: the grant is in the shared store.
        Assert.Equal("authorization_pending", (string?)(await PollAsync(_b, device.Body)).Body["error"]);

        // The person's browser step (user-code page, IdP, callback) runs entirely on B.
        var browser = await TestIdp.BrowseAsync(page, "--login", "alice");
        Assert.True(browser.ExitCode == 0 && browser.Stdout.Contains("done Signed in", StringComparison.Ordinal), browser.ToString());

        _clock.Advance(TimeSpan.FromSeconds(2));
        var tokens = await PollAsync(_a, device.Body);
        Assert.True(tokens.Status == 200, tokens.Body.ToJsonString());
        var again = await PollAsync(_b, device.Body);
        Assert.Equal("invalid_grant", (string?)again.Body["error"]);

        var access = (string)tokens.Body["access_token"]!;
        Assert.Equal(200, await MessageAsync(_a, access));
        Assert.Equal(200, await MessageAsync(_b, access));
    }

    [Fact]
    public async Task An_approved_device_code_polled_on_both_replicas_at_once_is_redeemed_exactly_once()
    {
        for (var round = 0; round < 3; round++)
        {
            var device = await PostAsync(_a, OAuthPaths.DeviceAuthorization, ("client_id", OAuthGateway.DesktopClient));
            var browser = await TestIdp.BrowseAsync((string)device.Body["verification_uri_complete"]!, "--login", "bob");
            Assert.True(browser.ExitCode == 0, browser.ToString());
            var polls = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => PollAsync(i % 2 == 0 ? _a : _b, device.Body)));
            Assert.Single(polls, p => p.Status == 200);
            Assert.All(polls.Where(p => p.Status != 200), p => Assert.Equal("invalid_grant", (string?)p.Body["error"]));
        }
    }

    [Fact]
    public async Task A_family_revoked_on_replica_A_is_refused_on_replica_B_once_its_revocation_check_interval_has_passed()
    {
        var device = await PostAsync(_a, OAuthPaths.DeviceAuthorization, ("client_id", OAuthGateway.DesktopClient));
        var browser = await TestIdp.BrowseAsync((string)device.Body["verification_uri_complete"]!, "--login", "alice");
        Assert.True(browser.ExitCode == 0, browser.ToString());
        _clock.Advance(TimeSpan.FromSeconds(2));
        var tokens = await PollAsync(_a, device.Body);
        var access = (string)tokens.Body["access_token"]!;
        Assert.Equal(200, await MessageAsync(_b, access));

        Assert.Equal(200, (await PostAsync(_a, OAuthPaths.Revoke, ("token", (string)tokens.Body["refresh_token"]!))).Status);
        Assert.Equal(401, await MessageAsync(_a, access));

        // B answered from its cache a moment ago; the documented bound is revocationCheckInterval (5 s here).
        _clock.Advance(TimeSpan.FromSeconds(6));
        var upstreamBefore = _b.Emulator.RequestLog.Snapshot().Count;
        Assert.Equal(401, await MessageAsync(_b, access));
        Assert.Equal(upstreamBefore, _b.Emulator.RequestLog.Snapshot().Count);
    }

    [Fact]
    public async Task Wrong_user_codes_entered_on_replica_A_deny_a_device_grant_polled_on_replica_B_once_its_per_code_limit_is_reached()
    {
        var device = await PostAsync(_b, OAuthPaths.DeviceAuthorization, ("client_id", OAuthGateway.DesktopClient));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(400, (await OAuthHostileTests.GuessAsync(_a.BaseUrl, System.Net.IPAddress.Parse($"127.0.11.{10 + i}"), UserCode.Create())).Status);
        }

        var denied = await PollAsync(_b, device.Body);
        Assert.True(denied.Status == 400 && (string?)denied.Body["error"] == "access_denied", denied.Body.ToJsonString());
    }

    private Task<GatewayTestHost> StartReplicaAsync(string name, string postgres, string? issuer)
    {
        return OAuthGateway.StartHostAsync(_idp, _dir.Combine(name + "-unused.db"), _clock, "      revocationCheckInterval: 5s\n      userCodeAttempts: { perDeviceCode: 3 }\n" + (issuer is null ? string.Empty : $"      issuer: \"{issuer}\"\n"), new GatewayTestOptions
        {
            Environment = new Dictionary<string, string> { ["OAUTH_PG"] = postgres },
            UsageYaml = $$"""
                    store: { postgresql: "${env:OAUTH_PG}" }
                    journal: "{{_dir.Combine(name + "-journal")}}"
                    audit: "{{_dir.Combine(name + "-audit.jsonl")}}"
                """,
        });
    }

    private static async Task<(int Status, JsonObject Body)> PostAsync(GatewayTestHost host, string path, params (string Name, string Value)[] form)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        using var response = await http.PostAsync(host.BaseUrl + path, new FormUrlEncodedContent(form.ToDictionary(f => f.Name, f => f.Value)));
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.StartsWith('{') ? JsonNode.Parse(text)!.AsObject() : new JsonObject { ["html"] = text });
    }

    private static Task<(int Status, JsonObject Body)> PollAsync(GatewayTestHost host, JsonObject device)
        => PostAsync(host, OAuthPaths.Token, ("grant_type", OAuthAuthority.DeviceCodeGrantType), ("device_code", (string)device["device_code"]!), ("client_id", OAuthGateway.DesktopClient));

    private static async Task<int> MessageAsync(GatewayTestHost host, string accessToken)
    {
        using var client = host.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var content = new StringContent("""{"model":"haiku","max_tokens":16,"messages":[{"role":"user","content":"hello"}]}""", Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/v1/messages", content);
        return (int)response.StatusCode;
    }
}
