using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Basalt.Emulator;
using Basalt.Emulator.Options;
using Basalt.Gateway.Tests.TestSupport;
using Basalt.Identity.OAuth;
using Basalt.Testing;

namespace Basalt.Gateway.Tests.Identity.OAuth;

/// <summary>
/// The gateway as OAuth authorization server with IAM Identity Center as the sign-in step (no IdP): the
/// organization's Identity Center and STS are a second emulator (accounts, users, permission sets), the gateway's
/// <c>identity.aws</c> maps permission set BedrockInference → limited and BedrockAdmin → engineering. alice has
/// exactly one role; bob has two permission sets in one account (ambiguous role); carol has BedrockInference in two
/// accounts (ambiguous account); dave has none. The person's browser is <see cref="Browser"/>: real HTTP, following
/// redirects and posting the forms the gateway's and Identity Center's pages serve.
/// </summary>
public sealed partial class IdentityCenterGateway : IAsyncLifetime
{
    public const string Account = "111122223333";
    public const string OtherAccount = "444455556666";
    public const string Audience = "basalt-idc-gateway";
    public const string StartUrl = "https://d-1234567890.awsapps.com/start";

    private readonly TempDirectory _dir = new("oauth-idc-gateway");

    public EmulatorServer IdentityCenter { get; private set; } = null!;

    public GatewayTestHost Host { get; private set; } = null!;

    /// <summary>The shared gateway's access lines and warnings.</summary>
    public AccessLog Log { get; } = new();

    public string BaseUrl => Host.BaseUrl;

    public string IdentityCenterUrl => IdentityCenter.BaseAddress.ToString().TrimEnd('/');

    public async Task InitializeAsync()
    {
        IdentityCenter = await StartIdentityCenterAsync();
        Host = await StartHostAsync(IdentityCenterUrl, IdentityCenterUrl, _dir.Combine("oauth.db"), log: Log);
    }

    public static async Task<EmulatorServer> StartIdentityCenterAsync()
    {
        var org = new EmulatorOptions();
        org.Accounts.Add(new AccountOptions { Id = Account, Name = "Example Corp Engineering", Email = "aws-engineering@example.com" });
        org.Accounts.Add(new AccountOptions { Id = OtherAccount, Name = "Example Corp Sandbox", Email = "aws-sandbox@example.com" });
        foreach (var user in new[] { "alice", "bob", "carol", "dave" })
        {
            org.Users.Add(new UserOptions { Name = user, Account = Account });
        }

        org.PermissionSets.Add(new PermissionSetOptions
        {
            Name = "BedrockInference",
            Assignments = [new PermissionSetAssignment { Account = Account, Users = ["alice", "bob", "carol"] }, new PermissionSetAssignment { Account = OtherAccount, Users = ["carol"] }],
        });
        org.PermissionSets.Add(new PermissionSetOptions { Name = "BedrockAdmin", Assignments = [new PermissionSetAssignment { Account = Account, Users = ["bob"] }] });
        return await EmulatorServer.StartAsync(org);
    }

    /// <param name="sts">The organization's STS (the gateway's <c>identity.aws.stsEndpoint</c>).</param>
    /// <param name="identityCenter">Where sso-oidc and the portal answer (a dead port for the outage test).</param>
    public static Task<GatewayTestHost> StartHostAsync(string sts, string identityCenter, string store, string signInExtra = "", AccessLog? log = null)
    {
        var o = new GatewayTestOptions();
        var identity = $$"""
              identity:
                aws:
                  stsEndpoint: "{{sts}}"
                  region: us-east-1
                  audience: {{Audience}}
                  permissionSets: { BedrockInference: limited, BedrockAdmin: engineering }
                oauth:
                  signIn:
                    identityCenter: { startUrl: "{{StartUrl}}", region: us-east-1, oidcEndpoint: "{{identityCenter}}", portalEndpoint: "{{identityCenter}}"{{signInExtra}} }
                  clients: { {{OAuthGateway.CliClient}}: ["http://127.0.0.1/callback"] }
                  pollInterval: 1s
                  sqlite: "{{store}}"
            """;
        return GatewayTestHost.StartAsync(new GatewayTestOptions { GatewayYaml = e => GatewayTestHost.GatewayYaml(e, o) + identity, AccessLog = log });
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await IdentityCenter.DisposeAsync();
        _dir.Dispose();
    }

    /// <summary>RFC 8628 §3.1 as Claude Code sends it: no client_id.</summary>
    public static async Task<JsonObject> StartDeviceAsync(string baseUrl)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(baseUrl + OAuthPaths.DeviceAuthorization, new FormUrlEncodedContent(new Dictionary<string, string> { ["surface"] = "claude_code" }));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
        return body;
    }

    public static async Task<(int Status, JsonObject Body)> PollAsync(string baseUrl, JsonObject device)
    {
        using var http = new HttpClient();
        using var response = await http.PostAsync(baseUrl + OAuthPaths.Token, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = OAuthAuthority.DeviceCodeGrantType,
            ["device_code"] = (string)device["device_code"]!,
        }));
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    /// <summary>Polls at the advertised interval until tokens or an error other than <c>authorization_pending</c>.</summary>
    public static async Task<(int Status, JsonObject Body)> PollUntilDoneAsync(string baseUrl, JsonObject device)
    {
        for (var i = 0; i < 10; i++)
        {
            await Task.Delay(TimeSpan.FromSeconds((int)device["interval"]!));
            var (status, body) = await PollAsync(baseUrl, device);
            if ((string?)body["error"] != "authorization_pending")
            {
                return (status, body);
            }
        }

        throw new InvalidOperationException("the device grant never completed");
    }

    /// <summary>
    /// The person's browser: opens <c>verification_uri_complete</c>, continues on the gateway's page, is redirected
    /// to Identity Center's <c>/authorize</c>, picks <paramref name="user"/> and allows (or denies), and follows the
    /// redirect back to the gateway's callback. Stops early at any page that is not a redirect or a form to post.
    /// </summary>
    public static async Task<Page> SignInAsync(JsonObject device, string user, bool allow = true, Func<Uri, Uri>? tamperIdentityCenterRedirect = null)
    {
        using var browser = new Browser();
        var page = await browser.GetAsync(new Uri((string)device["verification_uri_complete"]!));
        page = await browser.SubmitAsync(page, "approve", new Dictionary<string, string>());
        if (page.Location is not { } authorize)
        {
            return page;
        }

        page = await browser.GetAsync(tamperIdentityCenterRedirect?.Invoke(authorize) ?? authorize);
        if (page.Status != 200)
        {
            return page;
        }

        page = await browser.SubmitAsync(page, null, new Dictionary<string, string> { ["user"] = user, ["decision"] = allow ? "approve" : "deny" });
        return page.Location is { } callback ? await browser.GetAsync(callback) with { Visited = [.. page.Visited, callback] } : page;
    }

    /// <summary>
    /// The authorization code grant as a CLI runs it: the browser opens the gateway's <c>/oauth/authorize</c>, is sent
    /// on to Identity Center's <c>/authorize</c>, allows as <paramref name="user"/>, comes back to the gateway's
    /// callback, and is redirected to the CLI's loopback redirect URI, whose query (code, state, iss) is returned.
    /// </summary>
    public static async Task<Dictionary<string, string>> AuthorizeAsync(string baseUrl, string user, string redirectUri, string challenge, string state)
    {
        using var browser = new Browser();
        var url = $"{baseUrl}{OAuthPaths.Authorize}?response_type=code&client_id={OAuthGateway.CliClient}&redirect_uri={Uri.EscapeDataString(redirectUri)}&state={state}&code_challenge={challenge}&code_challenge_method=S256";
        var gatewayAuthorize = await browser.GetAsync(new Uri(url));
        Assert.True(gatewayAuthorize.Location is not null, gatewayAuthorize.Html);
        var identityCenter = await browser.GetAsync(gatewayAuthorize.Location);
        Assert.True(identityCenter.Status == 200, identityCenter.Html);
        var decided = await browser.SubmitAsync(identityCenter, null, new Dictionary<string, string> { ["user"] = user, ["decision"] = "approve" });
        var callback = await browser.GetAsync(decided.Location ?? throw new InvalidOperationException(decided.Html));
        Assert.True(callback.Location is not null && callback.Location.GetLeftPart(UriPartial.Path) == redirectUri, $"{callback.Status} {callback.Html}");
        return OAuthGateway.ParseQuery(callback.Location.Query);
    }

    /// <summary>A page as the browser saw it: status, decoded text, where a redirect pointed, and the redirects followed.</summary>
    public sealed record Page(int Status, string Html, Uri Url, Uri? Location, IReadOnlyList<Uri> Visited)
    {
        public string Text => WebUtility.HtmlDecode(Html);
    }

    /// <summary>Real HTTP with a cookie jar; redirects are returned, not followed, so the test sees each hop.</summary>
    public sealed partial class Browser : IDisposable
    {
        private readonly HttpClient _http = new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() });

        public async Task<Page> GetAsync(Uri url)
        {
            using var response = await _http.GetAsync(url);
            return await PageAsync(url, response);
        }

        /// <summary>Posts the page's form (the one whose hidden <c>action</c> is <paramref name="action"/>, else the first) with its fields and <paramref name="fields"/>.</summary>
        public async Task<Page> SubmitAsync(Page page, string? action, IDictionary<string, string> fields)
        {
            var forms = FormPattern().Matches(page.Html).Select(m => (Target: WebUtility.HtmlDecode(m.Groups[1].Value), Body: m.Groups[2].Value)).ToList();
            Assert.True(forms.Count > 0, $"no form on {page.Url}: {page.Html}");
            var form = forms.FirstOrDefault(f => action is null || f.Body.Contains($"name=\"action\" value=\"{action}\"", StringComparison.Ordinal));
            Assert.True(form.Body is not null, $"no '{action}' form on {page.Url}");
            var values = InputPattern().Matches(form.Body).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
            foreach (var (name, value) in fields)
            {
                values[name] = value;
            }

            var target = new Uri(page.Url, form.Target);
            using var response = await _http.PostAsync(target, new FormUrlEncodedContent(values));
            return await PageAsync(target, response);
        }

        public void Dispose() => _http.Dispose();

        private static async Task<Page> PageAsync(Uri url, HttpResponseMessage response)
            => new((int)response.StatusCode, await response.Content.ReadAsStringAsync(), url, response.Headers.Location is { } l ? new Uri(url, l) : null, [url]);

        [GeneratedRegex("<form method=\"post\" action=\"([^\"]*)\">(.*?)</form>", RegexOptions.Singleline)]
        private static partial Regex FormPattern();

        [GeneratedRegex("<input type=\"(?:hidden|text)\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
        private static partial Regex InputPattern();
    }
}
