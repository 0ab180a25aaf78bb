using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Basalt.Gateway.Tests.TestSupport;
using Basalt.Identity.OAuth;
using Basalt.Testing;

namespace Basalt.Gateway.Tests.Identity.OAuth;

/// <summary>
/// The real gateway host as OAuth authorization server (issue 9 item 3) in front of the emulator, with
/// oidc-provider (tests/interop/oidc/idp.mjs) as the organization's IdP: people sign in there through the
/// gateway (client <c>basalt-gateway</c>), their IdP groups map to gateway groups (alice → engineering, bob →
/// limited). The browser step is browser.mjs driving the real pages over HTTP. <c>basalt-cli</c> is registered for
/// the authorization code grant with redirect <c>http://127.0.0.1/callback</c> (any loopback port).
/// </summary>
public sealed class OAuthGateway : IAsyncLifetime
{
    public const string CliClient = "basalt-cli";
    public const string DesktopClient = "claude-desktop";

    private readonly TempDirectory _dir = new("oauth-gateway");

    public TestIdp Idp { get; private set; } = null!;

    public GatewayTestHost Host { get; private set; } = null!;

    public OAuthAuthority Authority => Host.Gateway.OAuth!;

    public string BaseUrl => Host.BaseUrl;

    public int UpstreamCalls => Host.Emulator.RequestLog.Snapshot().Count;

    public async Task InitializeAsync()
    {
        Idp = await TestIdp.StartAsync();
        Host = await StartHostAsync(Idp, _dir.Combine("oauth.db"));
    }

    /// <param name="options">Other settings of the test host (usage store, environment); its gateway YAML is replaced.</param>
    public static Task<GatewayTestHost> StartHostAsync(TestIdp idp, string store, TimeProvider? time = null, string extra = "", GatewayTestOptions? options = null)
    {
        var o = options ?? new GatewayTestOptions();
        var identity = $$"""
              identity:
                oidc:
                  - { issuer: "{{idp.Issuer}}", audiences: [basalt-gateway], clientId: basalt-gateway }
                oauth:
                  signIn: { issuer: "{{idp.Issuer}}", clientId: basalt-gateway, scopes: [openid, profile, email, groups] }
                  clients: { {{CliClient}}: ["http://127.0.0.1/callback"] }
                  pollInterval: 1s
                  sqlite: "{{store}}"
            {{extra}}
            """;
        return GatewayTestHost.StartAsync(new GatewayTestOptions
        {
            GatewayYaml = e => GatewayTestHost.GatewayYaml(e, o) + identity,
            TimeProvider = time ?? o.TimeProvider,
            UsageYaml = o.UsageYaml,
            Environment = o.Environment,
        });
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await Idp.DisposeAsync();
        _dir.Dispose();
    }

    public async Task<(int Status, JsonObject Body)> PostFormAsync(string path, IDictionary<string, string> form, string? cookie = null)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Post, BaseUrl + path) { Content = new FormUrlEncodedContent(form) };
        if (cookie is not null)
        {
            request.Headers.TryAddWithoutValidation("cookie", cookie);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.StartsWith('{') ? JsonNode.Parse(text)!.AsObject() : new JsonObject { ["html"] = text });
    }

    public Task<(int Status, JsonObject Body)> TokenAsync(params (string Name, string Value)[] form)
        => PostFormAsync(OAuthPaths.Token, form.ToDictionary(f => f.Name, f => f.Value));

    public async Task<JsonObject> StartDeviceAsync(string client = DesktopClient)
    {
        var (status, body) = await PostFormAsync(OAuthPaths.DeviceAuthorization, new Dictionary<string, string> { ["client_id"] = client, ["scope"] = "gateway" });
        Assert.True(status == 200, body.ToJsonString());
        return body;
    }

    public Task<(int Status, JsonObject Body)> PollAsync(JsonObject device, string client = DesktopClient)
        => TokenAsync(("grant_type", OAuthAuthority.DeviceCodeGrantType), ("device_code", (string)device["device_code"]!), ("client_id", client));

    /// <summary>The person opens <c>verification_uri_complete</c> and signs in at the IdP as <paramref name="login"/>.</summary>
    public async Task ApproveAsync(JsonObject device, string login)
    {
        var browser = await TestIdp.BrowseAsync((string)device["verification_uri_complete"]!, "--login", login);
        Assert.True(browser.ExitCode == 0 && browser.Stdout.Contains("done Signed in", StringComparison.Ordinal), browser.ToString());
    }

    /// <summary>RFC 8628 end to end: device authorization, the browser step, then polling at the advertised interval.</summary>
    public async Task<JsonObject> DeviceSignInAsync(string login, string client = DesktopClient)
    {
        var device = await StartDeviceAsync(client);
        await ApproveAsync(device, login);
        var interval = TimeSpan.FromSeconds((int)device["interval"]!);
        for (var i = 0; i < 10; i++)
        {
            await Task.Delay(interval);
            var (status, body) = await PollAsync(device, client);
            if (status == 200)
            {
                return body;
            }

            Assert.Equal("authorization_pending", (string?)body["error"]);
        }

        throw new InvalidOperationException("the device grant never completed");
    }

    /// <summary>
    /// The authorization code grant as a CLI runs it: opens /oauth/authorize in the browser, which signs in at the
    /// IdP and lands on the CLI's loopback listener; returns the code and state delivered there.
    /// </summary>
    public async Task<(string Code, string State, string RedirectUri)> AuthorizeAsync(string login, string challenge, string state = "cli-state-1")
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var redirect = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/callback";
        var url = $"{BaseUrl}{OAuthPaths.Authorize}?response_type=code&client_id={CliClient}&redirect_uri={Uri.EscapeDataString(redirect)}&state={state}&code_challenge={challenge}&code_challenge_method=S256&scope=gateway";
        var callback = CaptureOneRequestAsync(listener);
        var browser = await TestIdp.BrowseAsync(url, "--login", login);
        Assert.True(browser.ExitCode == 0, browser.ToString());
        var query = ParseQuery(new Uri("http://127.0.0.1" + await callback).Query);
        Assert.Equal(Host.BaseUrl, query.GetValueOrDefault("iss"));
        return (query["code"], query["state"], redirect);
    }

    public async Task<(int Status, string Body)> MessageAsync(string accessToken, string model = "haiku")
    {
        using var client = Host.Client();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var content = new StringContent($$"""{"model":"{{model}}","max_tokens":32,"messages":[{"role":"user","content":"hello"}]}""", Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("/v1/messages", content);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static Dictionary<string, string> ParseQuery(string query)
        => query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1]) : string.Empty);

    /// <summary>Accepts one HTTP request, answers 200, returns its request target (path and query).</summary>
    private static async Task<string> CaptureOneRequestAsync(TcpListener listener)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var socket = await listener.AcceptTcpClientAsync(timeout.Token);
        var stream = socket.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
        var line = await reader.ReadLineAsync(timeout.Token) ?? string.Empty;
        while (!string.IsNullOrEmpty(await reader.ReadLineAsync(timeout.Token)))
        {
        }

        await stream.WriteAsync("HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok"u8.ToArray(), timeout.Token);
        return line.Split(' ')[1];
    }
}
