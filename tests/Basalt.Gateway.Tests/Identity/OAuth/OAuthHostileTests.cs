using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Basalt.Credentials.Oidc;
using Basalt.Identity.OAuth;
using Basalt.Testing;
using Basalt.Testing.Identity;

namespace Basalt.Gateway.Tests.Identity.OAuth;

/// <summary>
/// The hostile suite's authorization-server cases (issue 9, "Done when": rotated refresh token replayed, device
/// code used twice, plus wrong PKCE verifier, redirect_uri mismatch, expired device code, polling too fast and
/// more, and RFC 8628 §5.1 user-code guessing). Each is an attack or a broken client against the real gateway with oidc-provider as the IdP; each must
/// yield no token (the token endpoint answers the RFC's error) or, for a bearer credential, 401 on
/// <c>/v1/messages</c> with no upstream call. The suite's other 50 cases are in <c>HostileAuthenticationTests</c>
/// and <c>AwsIdentityTests</c>.
/// </summary>
public sealed class OAuthHostileTests(OAuthGateway gateway) : IClassFixture<OAuthGateway>
{
    private const string Desktop = OAuthGateway.DesktopClient;

    public static TheoryData<string> Cases =>
    [
        "rotated refresh token replayed (family revoked)", "device code used twice", "wrong PKCE verifier", "redirect_uri mismatch at the token endpoint",
        "expired device code", "polling too fast", "authorization code used twice", "authorization code redeemed by another client",
        "device code redeemed by another client", "declined on the user-code page", "refresh token of another client", "unknown refresh token",
        "refresh token after revocation", "gateway token signed by another key", "gateway token with alg none", "expired gateway token signed with the gateway key",
        "gateway token with tampered groups", "gateway token of a revoked family", "refresh token sent as a bearer", "device code sent as a bearer",
        "authorize with an unregistered redirect_uri", "authorize without PKCE", "forged callback state", "user-code form without the CSRF cookie",
        "user codes guessed past the per-address limit", "user codes guessed from many addresses past the gateway-wide limit",
        "user codes guessed past one device code's limit",
    ];

    [Fact]
    public void The_authorization_server_cases_number_twenty_seven() => Assert.Equal(27, Cases.Count);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Hostile_authorization_server_case_yields_no_token_and_no_upstream_call(string @case)
    {
        var before = gateway.UpstreamCalls;
        switch (@case)
        {
            case "rotated refresh token replayed (family revoked)":
            {
                var first = await gateway.DeviceSignInAsync("alice");
                var second = await RefreshOkAsync((string)first["refresh_token"]!);
                before = gateway.UpstreamCalls;
                await RefusedAsync(Refresh((string)first["refresh_token"]!), "invalid_grant");

                // The thief's replay ended the family: the legitimate newest refresh token and its access token die too.
                await RefusedAsync(Refresh((string)second["refresh_token"]!), "invalid_grant");
                await UnauthorizedAsync((string)second["access_token"]!);
                break;
            }

            case "device code used twice":
            {
                var device = await gateway.StartDeviceAsync();
                await gateway.ApproveAsync(device, "bob");
                await Task.Delay(TimeSpan.FromSeconds(1.1));
                Assert.Equal(200, (await gateway.PollAsync(device)).Status);
                await RefusedAsync(gateway.PollAsync(device), "invalid_grant");
                break;
            }

            case "wrong PKCE verifier":
            {
                var (code, _, redirect) = await gateway.AuthorizeAsync("alice", Pkce.Challenge(Pkce.CreateVerifier()));
                await RefusedAsync(CodeAsync(code, redirect, Pkce.CreateVerifier()), "invalid_grant");
                break;
            }

            case "redirect_uri mismatch at the token endpoint":
            {
                var verifier = Pkce.CreateVerifier();
                var (code, _, redirect) = await gateway.AuthorizeAsync("alice", Pkce.Challenge(verifier));
                await RefusedAsync(CodeAsync(code, redirect.Replace("/callback", "/other", StringComparison.Ordinal), verifier), "invalid_grant");
                break;
            }

            case "expired device code":
            {
                var clock = new ShiftedClock();
                using var dir = new TempDirectory("oauth-expiry");
                await using var host = await OAuthGateway.StartHostAsync(gateway.Idp, dir.Combine("oauth.db"), clock);
                using var http = new HttpClient { BaseAddress = host.Gateway.BaseAddress };
                using var start = await http.PostAsync(OAuthPaths.DeviceAuthorization, new FormUrlEncodedContent(new Dictionary<string, string> { ["client_id"] = Desktop }));
                var device = JsonNode.Parse(await start.Content.ReadAsStringAsync())!;
                clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
                using var poll = await http.PostAsync(OAuthPaths.Token, new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = OAuthAuthority.DeviceCodeGrantType,
                    ["device_code"] = (string)device["device_code"]!,
                    ["client_id"] = Desktop,
                }));
                var body = JsonNode.Parse(await poll.Content.ReadAsStringAsync())!;
                Assert.Equal(400, (int)poll.StatusCode);
                Assert.Equal("expired_token", (string?)body["error"]);
                Assert.Null(body["access_token"]);
                break;
            }

            case "polling too fast":
            {
                var device = await gateway.StartDeviceAsync();
                await RefusedAsync(gateway.PollAsync(device), "authorization_pending");
                var body = await RefusedAsync(gateway.PollAsync(device), "slow_down");

                // RFC 8628 §3.5: the interval grows by 5 seconds (1 → 6) for this and every later request.
                Assert.Contains("wait 6 seconds", (string?)body["error_description"], StringComparison.Ordinal);
                await RefusedAsync(gateway.PollAsync(device), "slow_down");
                break;
            }

            case "authorization code used twice":
            {
                var verifier = Pkce.CreateVerifier();
                var (code, _, redirect) = await gateway.AuthorizeAsync("alice", Pkce.Challenge(verifier));
                Assert.Equal(200, (await CodeAsync(code, redirect, verifier)).Status);
                await RefusedAsync(CodeAsync(code, redirect, verifier), "invalid_grant");
                break;
            }

            case "authorization code redeemed by another client":
            {
                var verifier = Pkce.CreateVerifier();
                var (code, _, redirect) = await gateway.AuthorizeAsync("alice", Pkce.Challenge(verifier));
                await RefusedAsync(CodeAsync(code, redirect, verifier, client: Desktop), "invalid_grant");
                break;
            }

            case "device code redeemed by another client":
            {
                var device = await gateway.StartDeviceAsync();
                await gateway.ApproveAsync(device, "bob");
                await Task.Delay(TimeSpan.FromSeconds(1.1));
                await RefusedAsync(gateway.PollAsync(device, client: "attacker-client"), "invalid_grant");
                break;
            }

            case "declined on the user-code page":
            {
                var device = await gateway.StartDeviceAsync();
                var cookie = await CsrfCookieAsync((string)device["verification_uri_complete"]!);
                var (status, _) = await gateway.PostFormAsync(OAuthPaths.Device, new Dictionary<string, string> { ["user_code"] = (string)device["user_code"]!, ["action"] = "deny", ["csrf"] = cookie.Value }, cookie.Header);
                Assert.Equal(200, status);
                await RefusedAsync(gateway.PollAsync(device), "access_denied");
                await RefusedAsync(gateway.PollAsync(device), "invalid_grant");
                break;
            }

            case "refresh token of another client":
            {
                var tokens = await gateway.DeviceSignInAsync("bob");
                await RefusedAsync(Refresh((string)tokens["refresh_token"]!, OAuthGateway.CliClient), "invalid_grant");
                break;
            }

            case "unknown refresh token":
                await RefusedAsync(Refresh("bgr_" + Pkce.RandomToken(32)), "invalid_grant");
                break;

            case "refresh token after revocation":
            {
                var tokens = await gateway.DeviceSignInAsync("bob");
                Assert.Equal(200, (await gateway.PostFormAsync(OAuthPaths.Revoke, new Dictionary<string, string> { ["token"] = (string)tokens["refresh_token"]! })).Status);
                await RefusedAsync(Refresh((string)tokens["refresh_token"]!), "invalid_grant");
                break;
            }

            case "gateway token signed by another key":
            {
                using var attacker = new GatewayTokenSigner(ECDsa.Create(ECCurve.NamedCurves.nistP256));
                await UnauthorizedAsync(attacker.Sign(w => Claims(w, DateTimeOffset.UtcNow.AddMinutes(5))));
                break;
            }

            case "gateway token with alg none":
            {
                var good = gateway.Authority.Signer.Sign(w => Claims(w, DateTimeOffset.UtcNow.AddMinutes(5)));
                var payload = good.Split('.')[1];
                await UnauthorizedAsync(Base64Url.EncodeToString("""{"alg":"none","typ":"at+jwt"}"""u8) + "." + payload + ".");
                break;
            }

            case "expired gateway token signed with the gateway key":
                await UnauthorizedAsync(gateway.Authority.Signer.Sign(w => Claims(w, DateTimeOffset.UtcNow.AddMinutes(-1))));
                break;

            case "gateway token with tampered groups":
            {
                var tokens = await gateway.DeviceSignInAsync("bob");
                var parts = ((string)tokens["access_token"]!).Split('.');
                var claims = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!;
                claims["groups"] = new JsonArray("engineering");
                await UnauthorizedAsync(parts[0] + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(claims.ToJsonString())) + "." + parts[2], "sonnet");
                break;
            }

            case "gateway token of a revoked family":
            {
                var tokens = await gateway.DeviceSignInAsync("alice");
                Assert.Equal(200, (await gateway.MessageAsync((string)tokens["access_token"]!)).Status);
                Assert.Equal(200, (await gateway.PostFormAsync(OAuthPaths.Revoke, new Dictionary<string, string> { ["token"] = (string)tokens["access_token"]!, ["token_type_hint"] = "access_token" })).Status);
                before = gateway.UpstreamCalls;
                await UnauthorizedAsync((string)tokens["access_token"]!);
                break;
            }

            case "refresh token sent as a bearer":
            {
                var tokens = await gateway.DeviceSignInAsync("alice");
                await UnauthorizedAsync((string)tokens["refresh_token"]!);
                break;
            }

            case "device code sent as a bearer":
            {
                var device = await gateway.StartDeviceAsync();
                await UnauthorizedAsync((string)device["device_code"]!);
                break;
            }

            case "authorize with an unregistered redirect_uri":
            {
                // RFC 6749 §4.1.2.1: never redirect to an unverified URI (an open redirector); show the error instead.
                using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
                var challenge = Pkce.Challenge(Pkce.CreateVerifier());
                using var response = await http.GetAsync($"{gateway.BaseUrl}{OAuthPaths.Authorize}?response_type=code&client_id={OAuthGateway.CliClient}&redirect_uri={Uri.EscapeDataString("https://evil.example/callback")}&code_challenge={challenge}&code_challenge_method=S256");
                Assert.Equal(400, (int)response.StatusCode);
                Assert.Null(response.Headers.Location);
                break;
            }

            case "authorize without PKCE":
            {
                using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
                using var response = await http.GetAsync($"{gateway.BaseUrl}{OAuthPaths.Authorize}?response_type=code&client_id={OAuthGateway.CliClient}&redirect_uri={Uri.EscapeDataString("http://127.0.0.1:9/callback")}&state=s1");
                Assert.Equal(302, (int)response.StatusCode);
                var query = OAuthGateway.ParseQuery(response.Headers.Location!.Query);
                Assert.Equal("invalid_request", query["error"]);
                Assert.Equal("s1", query["state"]);
                Assert.False(query.ContainsKey("code"));
                break;
            }

            case "forged callback state":
            {
                using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
                using var response = await http.GetAsync($"{gateway.BaseUrl}{OAuthPaths.Callback}?code=stolen-code&state={Pkce.RandomToken(32)}");
                Assert.Equal(400, (int)response.StatusCode);
                Assert.Null(response.Headers.Location);
                break;
            }

            case "user-code form without the CSRF cookie":
            {
                // Another site posting the user code from a signed-in browser must not start the sign-in.
                var device = await gateway.StartDeviceAsync();
                var (status, page) = await gateway.PostFormAsync(OAuthPaths.Device, new Dictionary<string, string> { ["user_code"] = (string)device["user_code"]!, ["action"] = "approve", ["csrf"] = "guessed" });
                Assert.Equal(400, status);
                Assert.Contains("did not come from this page", (string?)page["html"], StringComparison.Ordinal);
                await RefusedAsync(gateway.PollAsync(device), "authorization_pending");
                break;
            }

            case "user codes guessed past the per-address limit":
            {
                // RFC 8628 §5.1. A source address of its own (any 127/8 address reaches the loopback listener), so
                // the shared gateway's other cases keep theirs.
                var device = await gateway.StartDeviceAsync();
                var address = IPAddress.Parse($"127.0.{Random.Shared.Next(1, 250)}.{Random.Shared.Next(2, 250)}");
                for (var i = 0; i < 10; i++)
                {
                    Assert.Equal(400, (await GuessAsync(gateway.BaseUrl, address, UserCode.Create())).Status);
                }

                // Limit reached: even the right code is not looked up from this address, and the grant stays pending.
                var (status, html) = await GuessAsync(gateway.BaseUrl, address, (string)device["user_code"]!);
                Assert.Equal(429, status);
                Assert.Contains("Too many wrong codes", html, StringComparison.Ordinal);
                await RefusedAsync(gateway.PollAsync(device), "authorization_pending");
                break;
            }

            case "user codes guessed from many addresses past the gateway-wide limit":
            {
                using var dir = new TempDirectory("oauth-guessing");
                await using var host = await OAuthGateway.StartHostAsync(gateway.Idp, dir.Combine("oauth.db"), extra: "      userCodeAttempts: { perAddress: 100, gatewayWide: 6 }\n");
                var baseUrl = host.BaseUrl;
                using var http = new HttpClient();
                using var start = await http.PostAsync(baseUrl + OAuthPaths.DeviceAuthorization, new FormUrlEncodedContent(new Dictionary<string, string> { ["client_id"] = Desktop }));
                var device = JsonNode.Parse(await start.Content.ReadAsStringAsync())!;
                for (var i = 0; i < 6; i++)
                {
                    Assert.Equal(400, (await GuessAsync(baseUrl, IPAddress.Parse($"127.0.9.{10 + i}"), UserCode.Create())).Status);
                }

                var (status, _) = await GuessAsync(baseUrl, IPAddress.Parse("127.0.9.99"), (string)device["user_code"]!);
                Assert.Equal(429, status);
                Assert.Empty(host.Emulator.RequestLog.Snapshot());
                break;
            }

            case "user codes guessed past one device code's limit":
            {
                // RFC 8628 §5.1 per device code: three wrong codes from different addresses (under both window
                // limits) while a grant is pending use up its budget: the grant is denied even for the right code,
                // and its device is told access_denied. A grant made after those guesses has its full budget.
                using var dir = new TempDirectory("oauth-guessing-per-code");
                await using var host = await OAuthGateway.StartHostAsync(gateway.Idp, dir.Combine("oauth.db"), extra: "      userCodeAttempts: { perAddress: 100, gatewayWide: 100, perDeviceCode: 3 }\n");
                using var http = new HttpClient();
                async Task<JsonNode> StartAsync()
                {
                    using var start = await http.PostAsync(host.BaseUrl + OAuthPaths.DeviceAuthorization, new FormUrlEncodedContent(new Dictionary<string, string> { ["client_id"] = Desktop }));
                    return JsonNode.Parse(await start.Content.ReadAsStringAsync())!;
                }

                var exposed = await StartAsync();
                for (var i = 0; i < 2; i++)
                {
                    Assert.Equal(400, (await GuessAsync(host.BaseUrl, IPAddress.Parse($"127.0.10.{10 + i}"), UserCode.Create())).Status);
                }

                // Two guesses: still under the budget, the grant is pending.
                Assert.Equal("authorization_pending", (string?)(await PollDeviceAsync(host.BaseUrl, exposed)).Body["error"]);
                Assert.Equal(400, (await GuessAsync(host.BaseUrl, IPAddress.Parse("127.0.10.12"), UserCode.Create())).Status);
                var fresh = await StartAsync();

                var (status, html) = await GuessAsync(host.BaseUrl, IPAddress.Parse("127.0.10.20"), (string)exposed["user_code"]!);
                Assert.Equal(400, status);
                Assert.Contains("it was cancelled to be safe", WebUtility.HtmlDecode(html), StringComparison.Ordinal);
                var (denied, body) = await PollDeviceAsync(host.BaseUrl, exposed);
                Assert.Equal((400, "access_denied"), (denied, (string?)body["error"]));
                Assert.Equal("invalid_grant", (string?)(await PollDeviceAsync(host.BaseUrl, exposed)).Body["error"]);

                // The grant made after the guesses goes on to the IdP.
                var (freshStatus, _) = await GuessAsync(host.BaseUrl, IPAddress.Parse("127.0.10.21"), (string)fresh["user_code"]!);
                Assert.Equal(302, freshStatus);
                Assert.Equal("authorization_pending", (string?)(await PollDeviceAsync(host.BaseUrl, fresh)).Body["error"]);
                break;
            }

            default:
                throw new InvalidOperationException("unknown case " + @case);
        }

        Assert.Equal(before, gateway.UpstreamCalls);
    }

    private Task<(int Status, JsonObject Body)> Refresh(string token, string client = Desktop)
        => gateway.TokenAsync(("grant_type", "refresh_token"), ("refresh_token", token), ("client_id", client));

    private Task<(int Status, JsonObject Body)> CodeAsync(string code, string redirect, string verifier, string client = OAuthGateway.CliClient)
        => gateway.TokenAsync(("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirect), ("client_id", client), ("code_verifier", verifier));

    private async Task<JsonObject> RefreshOkAsync(string token)
    {
        var (status, body) = await Refresh(token);
        Assert.True(status == 200, body.ToJsonString());
        return body;
    }

    private static async Task<JsonObject> RefusedAsync(Task<(int Status, JsonObject Body)> call, string error)
    {
        var (status, body) = await call;
        Assert.Equal(400, status);
        Assert.Equal(error, (string?)body["error"]);
        Assert.Null(body["access_token"]);
        Assert.Null(body["refresh_token"]);
        return body;
    }

    private async Task UnauthorizedAsync(string bearer, string model = "haiku")
    {
        var before = gateway.UpstreamCalls;
        var (status, body) = await gateway.MessageAsync(bearer, model);
        Assert.Equal(401, status);
        Assert.Contains("authentication_error", body, StringComparison.Ordinal);
        Assert.DoesNotContain(bearer, body, StringComparison.Ordinal);
        Assert.Equal(before, gateway.UpstreamCalls);
    }

    private void Claims(System.Text.Json.Utf8JsonWriter w, DateTimeOffset exp)
    {
        var issuer = gateway.Authority.Issuer;
        w.WriteString("iss", issuer);
        w.WriteString("aud", issuer);
        w.WriteString("sub", "mallory");
        w.WriteString("fam", "forged-family");
        w.WriteString("jti", Pkce.RandomToken(12));
        w.WriteNumber("iat", exp.AddMinutes(-10).ToUnixTimeSeconds());
        w.WriteNumber("exp", exp.ToUnixTimeSeconds());
        w.WriteStartArray("groups");
        w.WriteStringValue("engineering");
        w.WriteEndArray();
    }

    /// <summary>Types <paramref name="userCode"/> into the user-code page (with a valid CSRF pair) from <paramref name="source"/>.</summary>
    private static async Task<(int Status, JsonObject Body)> PollDeviceAsync(string baseUrl, JsonNode device)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(baseUrl + OAuthPaths.Token, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = OAuthAuthority.DeviceCodeGrantType,
            ["device_code"] = (string)device["device_code"]!,
            ["client_id"] = Desktop,
        }));
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    /// <summary>Types <paramref name="userCode"/> on the user-code page from <paramref name="source"/> (any 127/8 address), as a browser would.</summary>
    internal static async Task<(int Status, string Html)> GuessAsync(string baseUrl, IPAddress source, string userCode)
    {
        using var http = new HttpClient(new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        });
        using var page = await http.GetAsync(baseUrl + OAuthPaths.Device);
        var cookie = page.Headers.GetValues("set-cookie").Single().Split(';')[0];
        using var request = new HttpRequestMessage(HttpMethod.Post, baseUrl + OAuthPaths.Device)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["user_code"] = userCode, ["action"] = "approve", ["csrf"] = cookie[(cookie.IndexOf('=', StringComparison.Ordinal) + 1)..] }),
        };
        request.Headers.TryAddWithoutValidation("cookie", cookie);
        using var response = await http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<(string Value, string Header)> CsrfCookieAsync(string page)
    {
        using var http = new HttpClient(new HttpClientHandler { UseCookies = false });
        using var response = await http.GetAsync(page);
        var cookie = response.Headers.GetValues("set-cookie").Single().Split(';')[0];
        return (cookie[(cookie.IndexOf('=', StringComparison.Ordinal) + 1)..], cookie);
    }
}
