using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Basalt.Credentials.Oidc;

/// <summary>
/// Receives the authorization response on <c>http://127.0.0.1:{port}/callback</c> (RFC 8252 §7.3): a minimal
/// HTTP/1.1 server on a <see cref="TcpListener"/> bound to loopback only, so it works inside the NativeAOT helper
/// without ASP.NET. It answers the browser with a page saying whether it can close the tab, and checks the
/// response belongs to this sign-in: <c>state</c> (CSRF, RFC 6749 §10.12) and, when the IdP sends it, <c>iss</c>
/// (mix-up defence, RFC 9207). The port is only held while a sign-in waits; it is never used as a lock.
/// </summary>
internal sealed class LoopbackRedirectListener : IAsyncDisposable
{
    private const int MaxRequestHeadBytes = 16 * 1024;
    private static readonly TimeSpan ConnectionReadTimeout = TimeSpan.FromSeconds(10);

    private readonly TcpListener _listener;
    private readonly TaskCompletionSource<string> _code = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();

    private LoopbackRedirectListener(TcpListener listener)
    {
        _listener = listener;
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        RedirectUri = new Uri($"http://127.0.0.1:{port}/callback");
    }

    public Uri RedirectUri { get; }

    /// <summary>
    /// Binds the port. A port in use is the common failure on busy machines (another tool, or a second sign-in):
    /// the message names the port and the setting to change.
    /// </summary>
    public static LoopbackRedirectListener Start(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
        {
            listener.Dispose();
            var why = e.SocketErrorCode == SocketError.AddressAlreadyInUse ? "is already in use by another program" : "cannot be opened (permission denied)";
            throw new CredentialException(
                $"Cannot receive the sign-in redirect: port {port} on 127.0.0.1 {why}. Close the program using it, or set \"redirectPort\" in the oidc settings " +
                "to a free port that your identity provider allows as http://127.0.0.1:<port>/callback, or use \"flow\": \"device\".", e);
        }

        return new LoopbackRedirectListener(listener);
    }

    /// <summary>
    /// Serves the browser until a response arrives, and returns the authorization code. A response with an
    /// <c>error</c>, a wrong <c>state</c> or a wrong <c>iss</c> fails the sign-in with a <see cref="CredentialException"/>.
    /// Other requests (a favicon, a preconnect) get a 404 and do not end the wait.
    /// </summary>
    public async Task<string> WaitForCodeAsync(string expectedState, string expectedIssuer, bool issuerRequired, CancellationToken cancellationToken)
    {
        var expectations = new Expectations(expectedState, expectedIssuer, issuerRequired);
        var accepting = AcceptLoopAsync(expectations, _stop.Token);
        try
        {
            return await _code.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            _listener.Stop();
            try
            {
                await accepting.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync(Expectations expectations, CancellationToken stop)
    {
        List<Task> connections = [];
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(stop).ConfigureAwait(false);

                // Browsers open speculative connections that send nothing; serve each connection on its own.
                connections.Add(HandleAsync(client, expectations, stop));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }

        await Task.WhenAll(connections).ConfigureAwait(false);
    }

    private async Task HandleAsync(TcpClient client, Expectations expectations, CancellationToken stop)
    {
        using (client)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
            timeout.CancelAfter(ConnectionReadTimeout);
            try
            {
                var stream = client.GetStream();
                var target = await ReadRequestTargetAsync(stream, timeout.Token).ConfigureAwait(false);
                if (target is null)
                {
                    await RespondAsync(stream, 400, "Bad request", "This address only receives the sign-in redirect.", timeout.Token).ConfigureAwait(false);
                    return;
                }

                var question = target.IndexOf('?', StringComparison.Ordinal);
                var path = question < 0 ? target : target[..question];
                if (path != "/callback")
                {
                    await RespondAsync(stream, 404, "Not found", "This address only receives the sign-in redirect.", timeout.Token).ConfigureAwait(false);
                    return;
                }

                var query = ParseQuery(question < 0 ? string.Empty : target[(question + 1)..]);
                var (status, title, text, outcome) = Evaluate(query, expectations);
                await RespondAsync(stream, status, title, text, timeout.Token).ConfigureAwait(false);
                if (outcome is CredentialException failure)
                {
                    _code.TrySetException(failure);
                }
                else if (outcome is string code)
                {
                    _code.TrySetResult(code);
                }
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The browser went away or sent nothing; the wait goes on.
            }
        }
    }

    private static (int Status, string Title, string Text, object? Outcome) Evaluate(Dictionary<string, string> query, Expectations expect)
    {
        // RFC 6749 §4.1.2.1: state comes back with errors too; check it first so a forged error cannot end a sign-in.
        if (!query.TryGetValue("state", out var state) || !CryptographicEquals(state, expect.State))
        {
            return (400, "Sign-in not accepted",
                "This sign-in response does not belong to the sign-in Basalt started (state mismatch). Close this tab and start the sign-in again.",
                new CredentialException("The sign-in response did not match this sign-in (state mismatch): it came from an older attempt or from another page. Run the sign-in again."));
        }

        if (query.TryGetValue("iss", out var iss) ? !string.Equals(iss, expect.Issuer, StringComparison.Ordinal) : expect.IssuerRequired)
        {
            return (400, "Sign-in not accepted",
                "This sign-in response came from a different identity provider than the one Basalt asked. Close this tab and start the sign-in again.",
                new CredentialException($"The sign-in response came from issuer '{iss ?? "(none)"}', not '{expect.Issuer}' (RFC 9207 mix-up check). Run the sign-in again."));
        }

        if (query.TryGetValue("error", out var error))
        {
            query.TryGetValue("error_description", out var description);
            var shown = description is { Length: > 200 } ? description[..200] + "…" : description;
            return (200, "Sign-in failed",
                $"The identity provider reported: {error}{(shown is null ? string.Empty : " — " + shown)}. You can close this tab.",
                new CredentialException(error == "access_denied"
                    ? $"The sign-in was cancelled or refused at the identity provider ({error}{(shown is null ? string.Empty : ": " + shown)})."
                    : $"The identity provider returned an error: {error}{(shown is null ? string.Empty : ": " + shown)}. Check the application's settings at the identity provider (redirect URI http://127.0.0.1:<port>/callback, public client, PKCE)."));
        }

        if (!query.TryGetValue("code", out var code) || code.Length == 0)
        {
            return (400, "Sign-in not accepted", "The response has no authorization code. Close this tab and start the sign-in again.",
                new CredentialException("The identity provider's response had no authorization code. Run the sign-in again."));
        }

        return (200, "Signed in", "You are signed in to Basalt. You can close this tab and return to your application.", code);
    }

    private static bool CryptographicEquals(string a, string b)
        => System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    private static async Task<string?> ReadRequestTargetAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxRequestHeadBytes];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            length += read;
            if (buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8) >= 0)
            {
                break;
            }
        }

        var head = Encoding.ASCII.GetString(buffer, 0, length);
        var lineEnd = head.IndexOf("\r\n", StringComparison.Ordinal);
        var parts = (lineEnd < 0 ? head : head[..lineEnd]).Split(' ');
        return parts.Length == 3 && parts[0] is "GET" && parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal) && parts[1].StartsWith('/') ? parts[1] : null;
    }

    private static Dictionary<string, string> ParseQuery(string query)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Decode(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? string.Empty : Decode(pair[(eq + 1)..]);

            // A repeated parameter is ambiguous (RFC 6749 §3.1); keep the first and let checks fail on the rest.
            result.TryAdd(name, value);
        }

        return result;

        static string Decode(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));
    }

    private static async Task RespondAsync(NetworkStream stream, int status, string title, string text, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Basalt — " + WebUtility.HtmlEncode(title) + "</title>" +
            "<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}h1{font-weight:500}</style></head>" +
            "<body><h1>" + WebUtility.HtmlEncode(title) + "</h1><p>" + WebUtility.HtmlEncode(text) + "</p></body></html>");
        var reason = status switch { 200 => "OK", 400 => "Bad Request", _ => "Not Found" };
        var head = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {body.Length}\r\n" +
            "Cache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(head, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private sealed record Expectations(string State, string Issuer, bool IssuerRequired);
}
