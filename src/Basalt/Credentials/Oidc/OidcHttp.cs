using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;

namespace Basalt.Credentials.Oidc;

/// <summary>
/// The HTTP calls to the IdP (discovery, JWKS, token and device endpoints) with one timeout per request and
/// failures turned into messages a user can act on: which host, what went wrong, what to check. Nothing sent or
/// received (codes, tokens, verifiers) is ever part of a message.
/// </summary>
internal sealed class OidcHttp(HttpClient client, TimeSpan requestTimeout)
{
    public TimeSpan RequestTimeout => requestTimeout;

    /// <summary>GET a JSON document; non-2xx is an error naming <paramref name="what"/> and the status.</summary>
    public async Task<JsonDocument> GetJsonAsync(Uri uri, string what, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var (status, body) = await SendAsync(request, what, cancellationToken).ConfigureAwait(false);
        if ((int)status is < 200 or > 299)
        {
            body?.Dispose();
            throw new CredentialException($"{what} failed (HTTP {(int)status}) at {uri}. " + HintFor(status, what));
        }

        return body ?? throw new CredentialException($"{what} failed: {uri} did not return JSON.");
    }

    /// <summary>POST an <c>application/x-www-form-urlencoded</c> body; returns the status and the JSON body (null if it is not JSON).</summary>
    public async Task<(HttpStatusCode Status, JsonDocument? Body)> PostFormAsync(Uri uri, IEnumerable<KeyValuePair<string, string>> form, string what, CancellationToken cancellationToken, AuthenticationHeaderValue? authorization = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Authorization = authorization;
        return await SendAsync(request, what, cancellationToken).ConfigureAwait(false);
    }

    private async Task<(HttpStatusCode Status, JsonDocument? Body)> SendAsync(HttpRequestMessage request, string what, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(requestTimeout);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            var bytes = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
            JsonDocument? json = null;
            try
            {
                json = bytes.Length == 0 ? null : JsonDocument.Parse(bytes);
            }
            catch (JsonException)
            {
                // An HTML error page from a proxy or a wrong URL: the status says enough.
            }

            return (response.StatusCode, json);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CredentialException($"{what} failed: {request.RequestUri!.GetLeftPart(UriPartial.Authority)} did not answer within {requestTimeout.TotalSeconds:0} s. Check your network or VPN connection to the identity provider.");
        }
        catch (HttpRequestException e)
        {
            var host = request.RequestUri!.GetLeftPart(UriPartial.Authority);
            var reason = (e.InnerException as SocketException)?.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused",
                SocketError.HostNotFound or SocketError.NoData => "host not found",
                SocketError.TimedOut => "connection timed out",
                SocketError.NetworkUnreachable or SocketError.HostUnreachable => "network unreachable",
                _ => e.HttpRequestError switch
                {
                    HttpRequestError.SecureConnectionError => "TLS handshake failed",
                    HttpRequestError.NameResolutionError => "host not found",
                    HttpRequestError.ConnectionError => "could not connect",
                    _ => "request failed",
                },
            };
            throw new CredentialException($"{what} failed: could not reach the identity provider at {host} ({reason}). Check the issuer in the oidc settings and your network or VPN connection.", e);
        }
    }

    private static string HintFor(HttpStatusCode status, string what) => status switch
    {
        // cowork3p-reference §6.3: a metadata URL pasted as issuer, or a wrong path, gives 404/405.
        HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed when what.Contains("discovery", StringComparison.Ordinal)
            => "Check that the issuer is the IdP's base issuer URL (Okta: https://<org>.okta.com/oauth2/default; Entra: https://login.microsoftonline.com/<tenant-id>/v2.0).",
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => "The identity provider refused the request; check the client id and that the application is public (no client secret).",
        >= HttpStatusCode.InternalServerError => "The identity provider is having problems; try again in a few minutes.",
        _ => "Check the issuer in the oidc settings.",
    };
}
