using System.Buffers.Text;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Basalt.Gateway.Configuration;
using Basalt.Identity;
using Basalt.Identity.Jwt;
using Basalt.Identity.Oidc;

namespace Basalt.Gateway.Dashboard;

/// <summary>
/// The dashboard's sign-in (issue 11 item 1): OpenID Connect authorization code flow (OIDC Core §3.1) as a
/// confidential client with PKCE S256 (RFC 7636), <c>state</c> against login CSRF and <c>nonce</c> against ID-token
/// replay, both checked against the sealed sign-in cookie. The ID token goes through the one
/// <see cref="JwtValidator"/> with the issuer's keys, and the person's groups through the issuer's own group
/// mapping, exactly as for bearer tokens at the data plane; the role then comes from <see cref="DashboardRoles"/>.
/// </summary>
internal sealed class DashboardSignIn(GatewayDashboard config, OidcIssuerOptions issuer, HttpClient http, TimeProvider time) : IDisposable
{
    private static readonly TimeSpan DiscoveryLifetime = TimeSpan.FromHours(1);
    private readonly SigningKeyCache _keys = new(time);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Endpoints? _endpoints;
    private DateTimeOffset _endpointsAt;

    /// <summary>Where to send the browser, and the sign-in state to keep in its cookie.</summary>
    public async Task<(Uri Redirect, DashboardCookies.SignInState State)> BeginAsync(string returnPath, CancellationToken cancellationToken)
    {
        var endpoints = await EndpointsAsync(cancellationToken).ConfigureAwait(false);
        var state = Random(24);
        var nonce = Random(24);
        var verifier = Random(48);
        var challenge = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        var query = new Dictionary<string, string>
        {
            ["response_type"] = "code",
            ["client_id"] = config.ClientId,
            ["redirect_uri"] = config.CallbackUri.ToString(),
            ["scope"] = string.Join(' ', ["openid", .. config.Scopes]),
            ["state"] = state,
            ["nonce"] = nonce,
            ["code_challenge"] = challenge,
            ["code_challenge_method"] = "S256",
        };
        var separator = endpoints.Authorization.Query.Length > 0 ? "&" : "?";
        var url = new Uri(endpoints.Authorization + separator + string.Join('&', query.Select(kv => $"{kv.Key}={Uri.EscapeDataString(kv.Value)}")));
        return (url, new DashboardCookies.SignInState(state, nonce, verifier, returnPath, time.GetUtcNow().ToUnixTimeSeconds()));
    }

    /// <summary>Redeems the code and checks the ID token; the session, or a sentence saying why not (never a token).</summary>
    public async Task<(DashboardSession? Session, string? Problem)> CompleteAsync(string code, DashboardCookies.SignInState state, CancellationToken cancellationToken)
    {
        var endpoints = await EndpointsAsync(cancellationToken).ConfigureAwait(false);
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoints.Token)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code",
                ["code"] = code,
                ["redirect_uri"] = config.CallbackUri.ToString(),
                ["code_verifier"] = state.Verifier,
            }),
        };

        // client_secret_basic (RFC 6749 §2.3.1): id and secret form-urlencoded, then base64.
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(config.ClientId)}:{Uri.EscapeDataString(config.ClientSecret)}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        string? idToken = null;
        string? error = null;
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object)
            {
                idToken = json.RootElement.TryGetProperty("id_token", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                error = json.RootElement.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            }
        }
        catch (JsonException)
        {
        }

        if (!response.IsSuccessStatusCode || idToken is null)
        {
            return (null, $"the identity provider refused the sign-in ({(int)response.StatusCode}{(error is null ? string.Empty : ", " + error)}); check the dashboard's clientId, clientSecret and that {config.CallbackUri} is an allowed redirect URI");
        }

        var expect = new JwtExpectations(issuer.Issuer, [config.ClientId], time.GetUtcNow(), issuer.ClockSkew)
        {
            AuthorizedParty = config.ClientId,
            Nonce = state.Nonce,
            Algorithms = issuer.Algorithms,
        };
        var validation = await JwtValidator.ValidateAsync(idToken, expect, (refresh, ct) => _keys.GetAsync(endpoints.Jwks.ToString(), c => OidcKeyDiscovery.FetchKeysAsync(http, endpoints.Jwks, c), refresh, ct), cancellationToken).ConfigureAwait(false);
        if (validation.Claims is not { } claims)
        {
            return (null, $"the ID token was refused: {validation.Message}");
        }

        var principal = PrincipalClaims.ToPrincipal(claims, issuer.Groups, AuthenticationMethod.OidcBearer, "dashboard");
        if (DashboardRoles.Resolve(config, principal.Groups) is not { } role)
        {
            return (null, $"you are signed in as {principal.DisplayName} ({principal.UserId}), but none of your groups ({(principal.Groups.Count == 0 ? "none" : string.Join(", ", principal.Groups))}) may use the dashboard; ask an administrator to add you to one of its role groups");
        }

        var now = time.GetUtcNow();
        var session = new DashboardSession(Random(16), principal.UserId, principal.DisplayName, principal.Email, role.Role, role.Teams, now, now + config.SessionLifetime,
            idToken.Length <= DashboardSession.MaxIdTokenLength ? idToken : null);
        return (session, null);
    }

    /// <summary>
    /// Where to send the browser so the IdP ends its own session too (OIDC RP-Initiated Logout 1.0): its
    /// <c>end_session_endpoint</c> with <c>id_token_hint</c> (or <c>client_id</c>) and <c>post_logout_redirect_uri</c>
    /// back to <c>/admin/</c>. Null when the IdP's discovery names no such endpoint (then only the dashboard's
    /// session ends, and the next sign-in may be silent while the IdP session lasts).
    /// </summary>
    public async Task<Uri?> EndSessionAsync(DashboardSession session, CancellationToken cancellationToken)
    {
        var endpoints = await EndpointsAsync(cancellationToken).ConfigureAwait(false);
        if (endpoints.EndSession is not { } end)
        {
            return null;
        }

        var query = new Dictionary<string, string>
        {
            ["post_logout_redirect_uri"] = config.PostLogoutUri.ToString(),
            ["client_id"] = config.ClientId,
            ["state"] = Random(16),
        };
        if (session.IdToken is { } hint)
        {
            query["id_token_hint"] = hint;
        }

        var separator = end.Query.Length > 0 ? "&" : "?";
        return new Uri(end + separator + string.Join('&', query.Select(kv => $"{kv.Key}={Uri.EscapeDataString(kv.Value)}")));
    }

    private async Task<Endpoints> EndpointsAsync(CancellationToken cancellationToken)
    {
        if (_endpoints is { } cached && time.GetUtcNow() - _endpointsAt < DiscoveryLifetime)
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_endpoints is { } again && time.GetUtcNow() - _endpointsAt < DiscoveryLifetime)
            {
                return again;
            }

            var discovery = OidcKeyDiscovery.DiscoveryUri(issuer.Issuer);
            using var response = await http.GetAsync(discovery, cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            using var json = JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
            Uri Url(string name) => json.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && Uri.TryCreate(v.GetString(), UriKind.Absolute, out var u)
                ? u : throw new FormatException($"{discovery} has no '{name}'");
            var endSession = json.RootElement.TryGetProperty("end_session_endpoint", out var es) && es.ValueKind == JsonValueKind.String && Uri.TryCreate(es.GetString(), UriKind.Absolute, out var esUri) ? esUri : null;
            _endpoints = new Endpoints(Url("authorization_endpoint"), Url("token_endpoint"), issuer.JwksUri ?? Url("jwks_uri"), endSession);
            _endpointsAt = time.GetUtcNow();
            return _endpoints;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private static string Random(int bytes) => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(bytes));

    private sealed record Endpoints(Uri Authorization, Uri Token, Uri Jwks, Uri? EndSession);
}
