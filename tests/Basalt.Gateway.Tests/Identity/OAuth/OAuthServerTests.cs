using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Basalt.Credentials.Oidc;
using Basalt.Gateway.Tests.TestSupport;
using Basalt.Identity;
using Basalt.Identity.OAuth;
using Basalt.Testing;
using Basalt.Testing.Identity;
using Microsoft.Data.Sqlite;

namespace Basalt.Gateway.Tests.Identity.OAuth;

/// <summary>
/// The gateway as OAuth authorization server (issue 9 item 3, "Done when"): RFC 8414 metadata as Claude Desktop
/// checks it, the device grant end to end with the person's browser step at oidc-provider, the authorization code
/// grant with PKCE, refresh rotation and RFC 7009 revocation — each token then used on <c>/v1/messages</c>.
/// </summary>
public sealed class OAuthServerTests(OAuthGateway gateway) : IClassFixture<OAuthGateway>
{
    /// <summary>
    /// Claude Desktop's check for its "interactive" sign-in without <c>inferenceGatewayOidc</c> (cowork3p-reference
    /// §6.3): GET <c>&lt;inferenceGatewayBaseUrl&gt;/.well-known/oauth-authorization-server</c> must be RFC 8414
    /// metadata with <c>device_authorization_endpoint</c>, else "gateway SSO: server does not advertise
    /// device_authorization_endpoint". Base URLs are written with or without <c>/v1</c> (§6.1).
    /// </summary>
    private static async Task<string?> ClaudeDesktopMetadataCheckAsync(string baseUrl)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(baseUrl.TrimEnd('/') + "/.well-known/oauth-authorization-server");
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode || !text.StartsWith('{') || JsonNode.Parse(text)?["device_authorization_endpoint"] is not JsonValue endpoint
            || !Uri.TryCreate((string?)endpoint, UriKind.Absolute, out _))
        {
            return "gateway SSO: server does not advertise device_authorization_endpoint";
        }

        return null;
    }

    [Fact]
    public async Task Metadata_advertises_the_device_endpoint_and_passes_Claude_Desktops_check_with_and_without_v1()
    {
        Assert.Null(await ClaudeDesktopMetadataCheckAsync(gateway.BaseUrl));
        Assert.Null(await ClaudeDesktopMetadataCheckAsync(gateway.BaseUrl + "/v1"));

        using var http = new HttpClient();
        var metadata = JsonNode.Parse(await http.GetStringAsync(gateway.BaseUrl + OAuthPaths.Metadata))!;

        // RFC 8414 §3.3: the issuer is exactly the URL the metadata was fetched under.
        Assert.Equal(gateway.BaseUrl, (string?)metadata["issuer"]);
        foreach (var (field, path) in new[] { ("authorization_endpoint", OAuthPaths.Authorize), ("token_endpoint", OAuthPaths.Token), ("device_authorization_endpoint", OAuthPaths.DeviceAuthorization), ("revocation_endpoint", OAuthPaths.Revoke), ("jwks_uri", OAuthPaths.Jwks) })
        {
            Assert.Equal(gateway.BaseUrl + path, (string?)metadata[field]);
        }

        Assert.Equal("oidc", (string?)metadata[OAuthAuthority.SignInKindParameter]);
        Assert.Equal(gateway.Idp.Issuer, (string?)metadata[OAuthAuthority.SignInServiceParameter]);
        Assert.Equal(["S256"], metadata["code_challenge_methods_supported"]!.AsArray().Select(v => (string)v!));
        Assert.Equal(["authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code"], metadata["grant_types_supported"]!.AsArray().Select(v => (string)v!));
        var jwks = JsonNode.Parse(await http.GetStringAsync((string)metadata["jwks_uri"]!))!;
        Assert.Equal("ES256", (string?)jwks["keys"]![0]!["alg"]);
        Assert.Null(jwks["keys"]![0]!["d"]);
    }

    [Fact]
    public async Task A_gateway_without_an_authorization_server_fails_Claude_Desktops_metadata_check()
    {
        await using var plain = await GatewayTestHost.StartAsync();
        Assert.Equal("gateway SSO: server does not advertise device_authorization_endpoint", await ClaudeDesktopMetadataCheckAsync(plain.BaseUrl));
    }

    [Fact]
    public async Task Device_grant_end_to_end_signs_bob_in_at_the_IdP_and_his_gateway_token_reaches_haiku_but_not_sonnet()
    {
        var device = await gateway.StartDeviceAsync();
        Assert.Matches("^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$", (string)device["user_code"]!);
        Assert.Equal(gateway.BaseUrl + OAuthPaths.Device, (string?)device["verification_uri"]);
        Assert.Equal(1, (int)device["interval"]!);

        // Before the person acts, the device is told to keep waiting.
        var (pendingStatus, pending) = await gateway.PollAsync(device);
        Assert.Equal(400, pendingStatus);
        Assert.Equal("authorization_pending", (string?)pending["error"]);

        await gateway.ApproveAsync(device, "bob");
        await Task.Delay(TimeSpan.FromSeconds(1.1));
        var (status, tokens) = await gateway.PollAsync(device);
        Assert.True(status == 200, tokens.ToJsonString());
        Assert.Equal("Bearer", (string?)tokens["token_type"]);
        Assert.Equal(600, (int)tokens["expires_in"]!);
        Assert.StartsWith("bgr_", (string)tokens["refresh_token"]!, StringComparison.Ordinal);

        var access = (string)tokens["access_token"]!;
        Assert.Equal(200, (await gateway.MessageAsync(access, "haiku")).Status);
        var before = gateway.UpstreamCalls;
        var (refused, body) = await gateway.MessageAsync(access, "sonnet");
        Assert.Equal(403, refused);
        Assert.Contains("is not allowed for bob (your groups: limited)", body, StringComparison.Ordinal);
        Assert.Equal(before, gateway.UpstreamCalls);
        Assert.Contains(await gateway.Host.Usage.WaitAsync(1), e => e.Principal.UserId == "bob" && e.Principal.Method == AuthenticationMethod.GatewayToken && e.Principal.Groups.SequenceEqual(["limited"]));
    }

    /// <summary>
    /// Claude Code 2.1.332's gateway sign-in (docs/claude-code-gateway-signin.md) sends no client_id: its device
    /// request is the form <c>surface=claude_code</c>, its polls and refreshes carry only grant_type and the code or
    /// token. The token answer's <c>email</c> extension is the account it asks the person to confirm.
    /// </summary>
    [Fact]
    public async Task Device_grant_as_Claude_Code_sends_it_without_client_id_signs_alice_in_and_refreshes()
    {
        var (started, device) = await gateway.PostFormAsync(OAuthPaths.DeviceAuthorization, new Dictionary<string, string> { ["surface"] = "claude_code" });
        Assert.True(started == 200, device.ToJsonString());
        await gateway.ApproveAsync(device, "alice");
        await Task.Delay(TimeSpan.FromSeconds(1.1));

        var (status, tokens) = await gateway.TokenAsync(("grant_type", OAuthAuthority.DeviceCodeGrantType), ("device_code", (string)device["device_code"]!));
        Assert.True(status == 200, tokens.ToJsonString());
        Assert.Equal("Alice.O'Neil+dev@example.com", (string?)tokens["email"]);
        Assert.Equal(200, (await gateway.MessageAsync((string)tokens["access_token"]!, "sonnet")).Status);

        // A named client cannot redeem the unnamed client's refresh token, and the unnamed client can.
        var refresh = (string)tokens["refresh_token"]!;
        var (named, _) = await gateway.TokenAsync(("grant_type", "refresh_token"), ("refresh_token", refresh), ("client_id", OAuthGateway.DesktopClient));
        Assert.Equal(400, named);
        var (refreshed, rotated) = await gateway.TokenAsync(("grant_type", "refresh_token"), ("refresh_token", refresh));
        Assert.True(refreshed == 200, rotated.ToJsonString());
        Assert.Equal(200, (await gateway.MessageAsync((string)rotated["access_token"]!, "sonnet")).Status);
    }

    [Fact]
    public async Task Authorization_code_with_PKCE_signs_alice_in_and_her_token_reaches_sonnet()
    {
        var verifier = Pkce.CreateVerifier();
        var (code, state, redirect) = await gateway.AuthorizeAsync("alice", Pkce.Challenge(verifier), "state-abc");
        Assert.Equal("state-abc", state);
        var (status, tokens) = await gateway.TokenAsync(("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirect), ("client_id", OAuthGateway.CliClient), ("code_verifier", verifier));
        Assert.True(status == 200, tokens.ToJsonString());
        Assert.Equal(200, (await gateway.MessageAsync((string)tokens["access_token"]!, "sonnet")).Status);
    }

    [Fact]
    public async Task Refresh_rotates_the_refresh_token_and_the_new_access_token_works()
    {
        var first = await gateway.DeviceSignInAsync("alice");
        var (status, second) = await gateway.TokenAsync(("grant_type", "refresh_token"), ("refresh_token", (string)first["refresh_token"]!), ("client_id", OAuthGateway.DesktopClient));
        Assert.True(status == 200, second.ToJsonString());
        Assert.NotEqual((string)first["refresh_token"]!, (string)second["refresh_token"]!);
        Assert.NotEqual((string)first["access_token"]!, (string)second["access_token"]!);
        Assert.Equal(200, (await gateway.MessageAsync((string)second["access_token"]!, "sonnet")).Status);

        // And the rotated one keeps rotating.
        var (again, third) = await gateway.TokenAsync(("grant_type", "refresh_token"), ("refresh_token", (string)second["refresh_token"]!), ("client_id", OAuthGateway.DesktopClient));
        Assert.True(again == 200, third.ToJsonString());
    }

    [Fact]
    public async Task Revoking_a_refresh_token_ends_its_family_and_the_access_tokens_from_it()
    {
        var tokens = await gateway.DeviceSignInAsync("alice");
        var access = (string)tokens["access_token"]!;
        Assert.Equal(200, (await gateway.MessageAsync(access)).Status);

        var (status, _) = await gateway.PostFormAsync(OAuthPaths.Revoke, new Dictionary<string, string> { ["token"] = (string)tokens["refresh_token"]!, ["token_type_hint"] = "refresh_token" });
        Assert.Equal(200, status);

        Assert.Equal(401, (await gateway.MessageAsync(access)).Status);
        var (refresh, error) = await gateway.TokenAsync(("grant_type", "refresh_token"), ("refresh_token", (string)tokens["refresh_token"]!), ("client_id", OAuthGateway.DesktopClient));
        Assert.Equal(400, refresh);
        Assert.Equal("invalid_grant", (string?)error["error"]);

        // RFC 7009 §2.2: an unknown token is not an error.
        Assert.Equal(200, (await gateway.PostFormAsync(OAuthPaths.Revoke, new Dictionary<string, string> { ["token"] = "bgr_not-a-token" })).Status);
    }

    [Fact]
    public async Task Refresh_tokens_are_stored_only_as_hashes_in_a_0600_file()
    {
        var tokens = await gateway.DeviceSignInAsync("bob");
        var refresh = (string)tokens["refresh_token"]!;
        var file = gateway.Host.Gateway.Handler.Options.Identity.OAuth!.SqliteFile!;
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        await using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT token_hash FROM oauth_refresh_tokens";
        var hashes = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                hashes.Add(reader.GetString(0));
            }
        }

        Assert.Contains(OAuthAuthority.Hash(refresh), hashes);
        Assert.DoesNotContain(refresh, hashes);
        foreach (var path in new[] { file, file + "-wal" }.Where(File.Exists))
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var text = new StreamReader(stream);
            Assert.DoesNotContain(refresh[4..], await text.ReadToEndAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_signing_key_is_kept_in_the_store_so_a_restarted_gateway_publishes_the_same_key()
    {
        using var dir = new TempDirectory("oauth-restart");
        var store = dir.Combine("oauth.db");
        string jwks;
        await using (var first = await OAuthGateway.StartHostAsync(gateway.Idp, store))
        {
            jwks = first.Gateway.OAuth!.Signer.JwksJson;
        }

        await using var second = await OAuthGateway.StartHostAsync(gateway.Idp, store);
        Assert.Equal(jwks, second.Gateway.OAuth!.Signer.JwksJson);
    }

    [Fact]
    public async Task The_user_code_page_shows_the_code_and_a_decline_button()
    {
        var device = await gateway.StartDeviceAsync();
        using var http = new HttpClient();
        using var response = await http.GetAsync((string)device["verification_uri_complete"]!);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Contains((string)device["user_code"]!, html, StringComparison.Ordinal);
        Assert.Contains("This was not me", html, StringComparison.Ordinal);
        Assert.Contains("SameSite=Strict", string.Join(";", response.Headers.GetValues("set-cookie")), StringComparison.Ordinal);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }
}
