using System.Net;
using System.Net.Sockets;
using Basalt.Credentials;
using Basalt.Credentials.Oidc;

namespace Basalt.Tests.Credentials.Oidc;

public sealed class LoopbackRedirectListenerTests
{
    private const string Issuer = "http://127.0.0.1:9/idp";

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(Uri uri)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(uri);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Callback_with_the_right_state_returns_the_code_and_a_close_this_tab_page()
    {
        await using var listener = LoopbackRedirectListener.Start(0);
        Assert.Matches(@"^http://127\.0\.0\.1:\d+/callback$", listener.RedirectUri.AbsoluteUri);
        var wait = listener.WaitForCodeAsync("st-1", Issuer, issuerRequired: true, CancellationToken.None);

        var favicon = await GetAsync(new Uri(listener.RedirectUri, "/favicon.ico"));
        var callback = await GetAsync(new Uri($"{listener.RedirectUri}?code=c%2B1&state=st-1&iss={Uri.EscapeDataString(Issuer)}"));

        Assert.Equal(HttpStatusCode.NotFound, favicon.Status);
        Assert.Equal(HttpStatusCode.OK, callback.Status);
        Assert.Contains("You can close this tab", callback.Body, StringComparison.Ordinal);
        Assert.Equal("c+1", await wait);
    }

    [Fact]
    public async Task Wrong_state_is_answered_with_400_and_fails_the_sign_in()
    {
        await using var listener = LoopbackRedirectListener.Start(0);
        var wait = listener.WaitForCodeAsync("expected-state", Issuer, issuerRequired: false, CancellationToken.None);

        var (status, body) = await GetAsync(new Uri($"{listener.RedirectUri}?code=c&state=forged"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("state mismatch", body, StringComparison.Ordinal);
        var e = await Assert.ThrowsAsync<CredentialException>(() => wait);
        Assert.Contains("state mismatch", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Response_from_another_issuer_is_rejected()
    {
        await using var listener = LoopbackRedirectListener.Start(0);
        var wait = listener.WaitForCodeAsync("s", Issuer, issuerRequired: true, CancellationToken.None);

        var (status, _) = await GetAsync(new Uri($"{listener.RedirectUri}?code=c&state=s&iss=https%3A%2F%2Fevil.example"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var e = await Assert.ThrowsAsync<CredentialException>(() => wait);
        Assert.Contains("https://evil.example", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Error_from_the_identity_provider_is_shown_in_the_tab_and_the_message()
    {
        await using var listener = LoopbackRedirectListener.Start(0);
        var wait = listener.WaitForCodeAsync("s", Issuer, issuerRequired: false, CancellationToken.None);

        var (status, body) = await GetAsync(new Uri($"{listener.RedirectUri}?error=access_denied&error_description=User+said+%3Cno%3E&state=s"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("User said &lt;no&gt;", body, StringComparison.Ordinal);
        var e = await Assert.ThrowsAsync<CredentialException>(() => wait);
        Assert.Contains("access_denied: User said <no>", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silent_connection_does_not_block_the_real_callback()
    {
        await using var listener = LoopbackRedirectListener.Start(0);
        var wait = listener.WaitForCodeAsync("s", Issuer, issuerRequired: false, CancellationToken.None);
        using var idle = new TcpClient();
        await idle.ConnectAsync(IPAddress.Loopback, listener.RedirectUri.Port);

        var (status, _) = await GetAsync(new Uri($"{listener.RedirectUri}?code=abc&state=s"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("abc", await wait);
    }

    [Fact]
    public void Port_in_use_names_the_port_and_the_setting()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;

        var e = Assert.Throws<CredentialException>(() => LoopbackRedirectListener.Start(port));

        Assert.Contains($"port {port}", e.Message, StringComparison.Ordinal);
        Assert.Contains("\"redirectPort\"", e.Message, StringComparison.Ordinal);
        Assert.Contains("already in use", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Port_is_free_again_after_the_sign_in()
    {
        int port;
        await using (var listener = LoopbackRedirectListener.Start(0))
        {
            port = listener.RedirectUri.Port;
            var wait = listener.WaitForCodeAsync("s", Issuer, issuerRequired: false, CancellationToken.None);
            await GetAsync(new Uri($"{listener.RedirectUri}?code=abc&state=s"));
            await wait;
        }

        await using var again = LoopbackRedirectListener.Start(port);
        Assert.Equal(port, again.RedirectUri.Port);
    }
}
