using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Basalt.Credentials.Oidc;

/// <summary>
/// The token and device authorization endpoints for a public client: authorization code + PKCE (RFC 6749 §4.1.3,
/// RFC 7636 §4.5), refresh (RFC 6749 §6), and the device grant (RFC 8628 §3.1, §3.4). The client id goes in the
/// body; devices are public clients without a secret (cowork3p-reference §6.3: confidential clients fail). A
/// server-side caller (the gateway signing people in at its IdP, e.g. an Entra "Web" app) may pass a client secret
/// for the code exchange, sent as the discovery document advertises (RFC 6749 §2.3.1).
/// </summary>
internal sealed class OidcTokenClient(OidcHttp http, TimeProvider time)
{
    public const string DeviceCodeGrantType = "urn:ietf:params:oauth:grant-type:device_code";

    public Task<OidcTokenResult> ExchangeCodeAsync(OidcDiscoveryDocument document, string clientId, string code, Uri redirectUri, string codeVerifier, CancellationToken cancellationToken, string? clientSecret = null)
    {
        List<KeyValuePair<string, string>> form =
        [
            new("grant_type", "authorization_code"),
            new("code", code),
            new("redirect_uri", redirectUri.OriginalString),
            new("client_id", clientId),
            new("code_verifier", codeVerifier),
        ];
        AuthenticationHeaderValue? authorization = null;
        if (clientSecret is not null)
        {
            // RFC 6749 §2.3.1: client_secret_basic is the default every server supports; _post only when the
            // server advertises it and not basic.
            var methods = document.TokenEndpointAuthMethods ?? ["client_secret_basic"];
            if (methods.Contains("client_secret_basic", StringComparer.Ordinal))
            {
                authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(clientSecret)}")));
            }
            else if (methods.Contains("client_secret_post", StringComparer.Ordinal))
            {
                form.Add(new("client_secret", clientSecret));
            }
            else
            {
                throw new CredentialException($"The identity provider {document.Issuer} accepts no client secret at its token endpoint (token_endpoint_auth_methods_supported: {string.Join(", ", methods)}); register the application with client_secret_basic or client_secret_post, or as a public client without a secret.");
            }
        }

        return PostTokenAsync(document.TokenEndpoint, "Exchanging the sign-in code for tokens", form, cancellationToken, authorization);
    }

    public Task<OidcTokenResult> RefreshAsync(OidcDiscoveryDocument document, string clientId, string refreshToken, CancellationToken cancellationToken)
        => PostTokenAsync(document.TokenEndpoint, "Refreshing the sign-in",
        [
            new("grant_type", "refresh_token"),
            new("refresh_token", refreshToken),
            new("client_id", clientId),
        ], cancellationToken);

    public async Task<DeviceAuthorization> StartDeviceAuthorizationAsync(OidcDiscoveryDocument document, string clientId, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        var endpoint = document.DeviceAuthorizationEndpoint
            ?? throw new CredentialException($"The identity provider {document.Issuer} does not offer the device code sign-in (no device_authorization_endpoint in its discovery document). Enable the device authorization grant for the application, or set \"flow\": \"browser\" in the oidc settings.");
        var (status, body) = await http.PostFormAsync(endpoint, [new("client_id", clientId), new("scope", string.Join(' ', scopes))], "Starting the device code sign-in", cancellationToken).ConfigureAwait(false);
        using (body)
        {
            if (status != HttpStatusCode.OK || body is null || body.RootElement.ValueKind != JsonValueKind.Object)
            {
                var error = ToResult(status, body);
                throw new CredentialException($"The identity provider refused the device code sign-in: {error.Describe()}. Check that the application allows the device authorization grant.");
            }

            var root = body.RootElement;
            var deviceCode = String(root, "device_code");
            var userCode = String(root, "user_code");

            // Google and older Entra endpoints spell it verification_url.
            var verification = String(root, "verification_uri") ?? String(root, "verification_url");
            if (deviceCode is null || userCode is null || verification is null || !Uri.TryCreate(verification, UriKind.Absolute, out var verificationUri))
            {
                throw new CredentialException($"The identity provider's device authorization response from {endpoint} is incomplete (device_code, user_code and verification_uri are required).");
            }

            Uri.TryCreate(String(root, "verification_uri_complete") ?? string.Empty, UriKind.Absolute, out var complete);
            return new DeviceAuthorization(
                deviceCode,
                userCode,
                verificationUri,
                complete,
                TimeSpan.FromSeconds(Number(root, "expires_in") ?? 600),
                TimeSpan.FromSeconds(Math.Max(1, Number(root, "interval") ?? 5)));
        }
    }

    /// <summary>
    /// Polls until the user approves (RFC 8628 §3.4-3.5): <c>authorization_pending</c> waits another interval,
    /// <c>slow_down</c> adds 5 seconds to it; a refusal or expiry ends the sign-in with a message.
    /// </summary>
    public async Task<OidcTokenResponse> PollDeviceTokenAsync(OidcDiscoveryDocument document, string clientId, DeviceAuthorization authorization, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + authorization.ExpiresIn;
        var interval = authorization.Interval;
        while (true)
        {
            await Task.Delay(interval, time, cancellationToken).ConfigureAwait(false);
            var result = await PostTokenAsync(document.TokenEndpoint, "Waiting for the device code sign-in",
            [
                new("grant_type", DeviceCodeGrantType),
                new("device_code", authorization.DeviceCode),
                new("client_id", clientId),
            ], cancellationToken).ConfigureAwait(false);
            if (result.Tokens is { } tokens)
            {
                return tokens;
            }

            switch (result.Error)
            {
                case "authorization_pending":
                    break;
                case "slow_down":
                    interval += TimeSpan.FromSeconds(5);
                    break;
                case "access_denied":
                    throw new CredentialException("The sign-in was declined in the browser. Run the command again to retry.");
                case "expired_token":
                    throw new CredentialException("The device code expired before the sign-in was completed. Run the command again for a new code.");
                default:
                    throw new CredentialException($"The device code sign-in failed: {result.Describe()}.");
            }

            if (time.GetUtcNow() + interval > deadline)
            {
                throw new CredentialException("The device code expired before the sign-in was completed. Run the command again for a new code.");
            }
        }
    }

    private async Task<OidcTokenResult> PostTokenAsync(Uri endpoint, string what, IEnumerable<KeyValuePair<string, string>> form, CancellationToken cancellationToken, AuthenticationHeaderValue? authorization = null)
    {
        var (status, body) = await http.PostFormAsync(endpoint, form, what, cancellationToken, authorization).ConfigureAwait(false);
        using (body)
        {
            return ToResult(status, body);
        }
    }

    private static OidcTokenResult ToResult(HttpStatusCode status, JsonDocument? body)
    {
        var root = body?.RootElement;
        if (status == HttpStatusCode.OK && root is { ValueKind: JsonValueKind.Object } ok)
        {
            var seconds = Number(ok, "expires_in");
            return new OidcTokenResult(
                new OidcTokenResponse(String(ok, "access_token"), String(ok, "id_token"), String(ok, "refresh_token"), seconds is null ? null : TimeSpan.FromSeconds(seconds.Value)),
                null,
                null,
                status);
        }

        return root is { ValueKind: JsonValueKind.Object } error
            ? new OidcTokenResult(null, String(error, "error"), String(error, "error_description"), status)
            : new OidcTokenResult(null, null, "the response was not OAuth JSON", status);
    }

    private static string? String(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } s ? s : null;

    private static double? Number(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }

        // Some IdPs send numbers as strings ("expires_in": "3600").
        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetDouble(out var d) => d,
            JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            _ => null,
        };
    }
}
