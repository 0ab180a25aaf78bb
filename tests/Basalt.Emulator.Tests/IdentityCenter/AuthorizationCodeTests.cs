using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Amazon.Runtime;
using Amazon.SSO;
using Amazon.SSO.Model;
using Amazon.SSOOIDC;
using Amazon.SSOOIDC.Model;
using Basalt.Emulator.Tests.TestSupport;

namespace Basalt.Emulator.Tests.IdentityCenter;

/// <summary>
/// IAM Identity Center's authorization code grant with PKCE (the AWS CLI v2's default login, and the gateway's
/// Identity Center sign-in): RegisterClient with <c>redirectUris</c> through the official AWS SDK for .NET, the
/// browser's <c>/authorize</c> page over real HTTP, CreateToken with <c>grantType=authorization_code</c>. An unknown
/// client or an unregistered redirect URI is an error page and never a redirect (RFC 6749 §4.1.2.1); a code is
/// single use, bound to its client, redirect URI and PKCE challenge (RFC 7636 §4.6).
/// </summary>
public sealed partial class AuthorizationCodeTests
{
    private const string Redirect = "http://127.0.0.1:53682/oauth/callback";

    private static AmazonSSOOIDCClient Oidc(EmulatorServer emulator)
        => new(new AnonymousAWSCredentials(), new AmazonSSOOIDCConfig { ServiceURL = emulator.BaseAddress.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });

    private static Task<RegisterClientResponse> RegisterAsync(AmazonSSOOIDCClient oidc, List<string>? redirectUris = null)
        => oidc.RegisterClientAsync(new RegisterClientRequest
        {
            ClientName = "basalt-gateway-test",
            ClientType = "public",
            GrantTypes = ["authorization_code", "refresh_token"],
            RedirectUris = redirectUris ?? [Redirect],
            IssuerUrl = "https://d-9067example.awsapps.com/start",
            Scopes = ["sso:account:access"],
        });

    private static string Challenge(string verifier) => Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static Uri AuthorizeUrl(EmulatorServer emulator, string clientId, string redirect, string verifier, string state = "state-1")
        => new(emulator.BaseAddress, $"authorize?response_type=code&client_id={Uri.EscapeDataString(clientId)}&redirect_uri={Uri.EscapeDataString(redirect)}&state={state}&code_challenge_method=S256&scopes=sso%3Aaccount%3Aaccess&code_challenge={Challenge(verifier)}");

    /// <summary>The person's browser: opens the page, picks <paramref name="user"/> and decides; returns the redirect's query.</summary>
    private static async Task<Dictionary<string, string>> AuthorizeAsync(Uri url, string user, string decision = "approve")
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var page = await http.GetStringAsync(url);
        var fields = HiddenField().Matches(page).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        fields["user"] = user;
        fields["decision"] = decision;
        using var response = await http.PostAsync(new Uri(url, "/authorize"), new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith(Redirect + "?", location.OriginalString, StringComparison.Ordinal);
        return location.Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
    }

    private static CreateTokenRequest Exchange(RegisterClientResponse client, string code, string verifier, string redirect = Redirect)
        => new() { ClientId = client.ClientId, ClientSecret = client.ClientSecret, GrantType = "authorization_code", Code = code, RedirectUri = redirect, CodeVerifier = verifier };

    [Fact]
    public async Task A_code_from_the_authorize_page_is_exchanged_once_with_its_verifier_and_the_token_reaches_the_portal()
    {
        var org = new TestOrg();
        await using var emulator = await EmulatorServer.StartAsync(org.Options);
        using var oidc = Oidc(emulator);
        var client = await RegisterAsync(oidc);
        var verifier = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

        var query = await AuthorizeAsync(AuthorizeUrl(emulator, client.ClientId, Redirect, verifier, "s-42"), "alice");
        Assert.Equal("s-42", query["state"]);
        var token = await oidc.CreateTokenAsync(Exchange(client, query["code"], verifier));
        Assert.False(string.IsNullOrEmpty(token.AccessToken));
        Assert.False(string.IsNullOrEmpty(token.RefreshToken));

        using var portal = new AmazonSSOClient(new AnonymousAWSCredentials(), new AmazonSSOConfig { ServiceURL = emulator.BaseAddress.ToString(), AuthenticationRegion = "us-east-1", MaxErrorRetry = 0 });
        var accounts = await portal.ListAccountsAsync(new ListAccountsRequest { AccessToken = token.AccessToken });
        Assert.Contains(accounts.AccountList, a => a.AccountId == TestOrg.Account);

        // Single use (RFC 6749 §4.1.2): the same code again is invalid_grant.
        var replay = await Assert.ThrowsAsync<InvalidGrantException>(() => oidc.CreateTokenAsync(Exchange(client, query["code"], verifier)));
        Assert.Equal("invalid_grant", replay.Error);
    }

    [Fact]
    public async Task A_wrong_verifier_another_redirect_uri_or_another_client_burns_the_code()
    {
        var org = new TestOrg();
        await using var emulator = await EmulatorServer.StartAsync(org.Options);
        using var oidc = Oidc(emulator);
        var client = await RegisterAsync(oidc);
        var other = await RegisterAsync(oidc);
        var verifier = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

        foreach (var wrong in new Func<string, CreateTokenRequest>[]
        {
            code => Exchange(client, code, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))),
            code => Exchange(client, code, verifier, "http://127.0.0.1:53682/elsewhere"),
            code => Exchange(other, code, verifier),
        })
        {
            var code = (await AuthorizeAsync(AuthorizeUrl(emulator, client.ClientId, Redirect, verifier), "alice"))["code"];
            await Assert.ThrowsAsync<InvalidGrantException>(() => oidc.CreateTokenAsync(wrong(code)));
            // The failed attempt used the code up: the right request after it fails too.
            await Assert.ThrowsAsync<InvalidGrantException>(() => oidc.CreateTokenAsync(Exchange(client, code, verifier)));
        }
    }

    [Fact]
    public async Task An_unknown_client_or_unregistered_redirect_uri_is_an_error_page_not_a_redirect_and_a_denial_redirects_access_denied()
    {
        var org = new TestOrg();
        await using var emulator = await EmulatorServer.StartAsync(org.Options);
        using var oidc = Oidc(emulator);
        var client = await RegisterAsync(oidc);
        var verifier = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

        foreach (var (url, message) in new[]
        {
            (AuthorizeUrl(emulator, "no-such-client", Redirect, verifier), "Invalid client"),
            (AuthorizeUrl(emulator, client.ClientId, "http://127.0.0.1:1/steal", verifier), "Invalid redirect_uri"),
        })
        {
            using var response = await http.GetAsync(url);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Null(response.Headers.Location);
            Assert.Contains(message, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var denied = await AuthorizeAsync(AuthorizeUrl(emulator, client.ClientId, Redirect, verifier, "s-9"), "alice", "deny");
        Assert.Equal(("access_denied", "s-9"), (denied["error"], denied["state"]));
        Assert.False(denied.ContainsKey("code"));

        // RegisterClient for the authorization code grant needs somewhere to deliver codes.
        var noRedirect = await Assert.ThrowsAnyAsync<AmazonSSOOIDCException>(() => RegisterAsync(oidc, []));
        Assert.Equal("InvalidRedirectUriException", noRedirect.ErrorCode);
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\"")]
    private static partial Regex HiddenField();
}
