using System.Security.Cryptography;
using System.Text.Json;
using Basalt.Credentials.Browser;
using Basalt.Credentials.Cache;
using Basalt.Credentials.Oidc;

namespace Basalt.Credentials.Gateway;

/// <summary>
/// The gateway's own access token for a person (issue 9 item 3, <c>basalt-credential gateway-oauth-token</c>): the
/// helper is an OAuth public client of the Basalt gateway acting as authorization server. Order of attempts: the
/// cached access token while more than half its life is left (no network); the refresh-token grant (silent; the
/// gateway rotates the refresh token on every use); and only when the run may prompt, the device grant (RFC 8628) —
/// the verification URL and user code on stderr, and the browser opened through the one
/// <see cref="BrowserLauncher"/> when this machine can show one. The session lives in the encrypted credential
/// cache (0600) and refresh and sign-in run under the cache's cross-process lock: two runs refreshing at once
/// would present one refresh token twice, which the gateway treats as theft and answers by revoking the family.
/// The token endpoint calls reuse <see cref="OidcTokenClient"/> (device grant, refresh) over the gateway's RFC 8414
/// metadata.
/// </summary>
public sealed class GatewaySignIn : IDisposable
{
    public const string DefaultClientId = "basalt-credential";

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan InteractiveLockTimeout = TimeSpan.FromMinutes(11);
    private static readonly TimeSpan SilentLockTimeout = TimeSpan.FromSeconds(15);

    private readonly string _gateway;
    private readonly string _clientId;
    private readonly IReadOnlyList<string> _scopes;
    private readonly CredentialCache _cache;
    private readonly string _cacheKey;
    private readonly CredentialEnvironment _environment;
    private readonly HttpClient _httpClient;
    private readonly OidcHttp _http;
    private readonly OidcTokenClient _tokens;

    public GatewaySignIn(Uri gateway, string clientId, IReadOnlyList<string>? scopes, CredentialCache cache, string cacheKey, CredentialEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(environment);
        _gateway = gateway.OriginalString.TrimEnd('/');
        _clientId = clientId;
        _scopes = scopes is { Count: > 0 } ? scopes : ["gateway"];
        _cache = cache;
        _cacheKey = cacheKey + SessionSuffix;
        _environment = environment;
        _httpClient = new HttpClient(new SocketsHttpHandler { ConnectTimeout = RequestTimeout, AllowAutoRedirect = false, UseCookies = false }) { Timeout = Timeout.InfiniteTimeSpan };
        _http = new OidcHttp(_httpClient, RequestTimeout);
        _tokens = new OidcTokenClient(_http, environment.TimeProvider);
    }

    /// <summary>Appended to a profile's cache key for its gateway session (see <see cref="CredentialHelperResolver.SignOut"/>).</summary>
    public const string SessionSuffix = "#gateway-session";

    /// <summary>The cached session (no network), for <c>explain</c> and <c>check-expiration</c>.</summary>
    public GatewaySession? Cached() => Load() is { } s && s.BelongsTo(_gateway, _clientId) ? s : null;

    /// <summary>An access token for the gateway; throws <see cref="CredentialException"/> with a message for people.</summary>
    public async Task<string> GetAccessTokenAsync(CredentialRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.ForceLogin && Cached() is { } cached && cached.IsFresh(_environment.UtcNow))
        {
            return cached.AccessToken;
        }

        CrossProcessFileLock held;
        try
        {
            held = await CrossProcessFileLock.AcquireAsync(_cache.LockPathFor(_cacheKey), request.MayPromptUser ? InteractiveLockTimeout : SilentLockTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new CredentialException($"Another basalt-credential run is still signing in to {_gateway} for this profile (lock {_cache.LockPathFor(_cacheKey)}). Finish that sign-in, then try again.", e);
        }

        using (held)
        {
            // Whoever held the lock before us may have just refreshed: use their result (and their refresh token).
            var session = request.ForceLogin ? null : Cached();
            if (session is not null && session.IsFresh(_environment.UtcNow))
            {
                return session.AccessToken;
            }

            if (session is null && !request.MayPromptUser)
            {
                throw NeedsSignIn(request, again: false);
            }

            var metadata = await MetadataAsync(cancellationToken).ConfigureAwait(false);
            if (session is not null)
            {
                var refreshed = await _tokens.RefreshAsync(metadata, _clientId, session.RefreshToken, cancellationToken).ConfigureAwait(false);
                if (refreshed.Tokens is { } tokens)
                {
                    return Save(tokens, "refresh").AccessToken;
                }

                if (refreshed.Error is not ("invalid_grant" or "invalid_token") && refreshed.Status is not (System.Net.HttpStatusCode.BadRequest or System.Net.HttpStatusCode.Unauthorized))
                {
                    throw new CredentialException($"Refreshing the sign-in to {_gateway} failed: {refreshed.Describe()}.");
                }

                // RFC 6749 §5.2 invalid_grant: expired, revoked (by an administrator, or because a copy of the
                // refresh token was used) or rotated away; only a new sign-in helps.
                _cache.Remove(_cacheKey);
                request.Log.WriteLine($"The saved sign-in to {_gateway} is no longer valid (revoked or expired); a new sign-in is needed.");
            }

            if (!request.MayPromptUser)
            {
                throw NeedsSignIn(request, again: true);
            }

            var authorization = await _tokens.StartDeviceAuthorizationAsync(metadata, _clientId, _scopes, cancellationToken).ConfigureAwait(false);

            // The user code is for the person; the device code (the polling secret) is never shown.
            var page = authorization.VerificationUriComplete ?? authorization.VerificationUri;
            var launcher = new BrowserLauncher(_environment);
            var opened = launcher.CanOpenLocally && launcher.TryOpen(page);
            request.Log.WriteLine($"To sign in to the gateway {_gateway}, open {authorization.VerificationUri.AbsoluteUri} and enter the code: {authorization.UserCode}");
            if (authorization.VerificationUriComplete is { } complete)
            {
                request.Log.WriteLine($"  or open: {complete.AbsoluteUri}");
            }

            request.Log.WriteLine((opened ? "Opened your browser. " : string.Empty) + $"Waiting for the sign-in (the code expires in {authorization.ExpiresIn.TotalMinutes:0} minutes) ...");
            var signedIn = await _tokens.PollDeviceTokenAsync(metadata, _clientId, authorization, cancellationToken).ConfigureAwait(false);
            var saved = Save(signedIn, "sign-in");
            request.Log.WriteLine($"Signed in to the gateway {_gateway}.");
            return saved.AccessToken;
        }
    }

    public void Dispose() => _httpClient.Dispose();

    private CredentialException NeedsSignIn(CredentialRequest request, bool again) => new(
        $"Sign-in to the gateway {_gateway} is required{(again ? " again (the saved sign-in was revoked or has expired)" : string.Empty)}, but this " +
        $"{CredentialContexts.ToName(request.Context)} run may not wait for you. Run 'basalt-credential login' (with this profile) in a terminal to sign in.")
    {
        NeedsInteractiveSignIn = true,
    };

    /// <summary>RFC 8414 §3: the metadata of the configured issuer, which must name that same issuer (§3.3).</summary>
    private async Task<OidcDiscoveryDocument> MetadataAsync(CancellationToken cancellationToken)
    {
        var uri = new Uri(_gateway + "/.well-known/oauth-authorization-server");
        using var json = await _http.GetJsonAsync(uri, "Reading the gateway's sign-in metadata", cancellationToken).ConfigureAwait(false);
        var root = json.RootElement;
        var issuer = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("issuer", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
        if (!string.Equals(issuer?.TrimEnd('/'), _gateway, StringComparison.Ordinal))
        {
            throw new CredentialException($"{uri} names the issuer '{issuer ?? "(none)"}', not {_gateway}. Set gatewayUrl in the profile to the gateway's issuer, or ask IT whether this gateway signs people in itself (identity.oauth).");
        }

        var token = Endpoint(root, "token_endpoint", uri) ?? throw new CredentialException($"{uri} has no token_endpoint.");
        var device = Endpoint(root, "device_authorization_endpoint", uri)
            ?? throw new CredentialException($"The gateway {_gateway} does not offer the device sign-in (no device_authorization_endpoint in {uri}).");
        return new OidcDiscoveryDocument
        {
            Issuer = issuer!,
            TokenEndpoint = token,
            DeviceAuthorizationEndpoint = device,
            AuthorizationEndpoint = Endpoint(root, "authorization_endpoint", uri) ?? token,
            JwksUri = Endpoint(root, "jwks_uri", uri) ?? token,
        };
    }

    private static Uri? Endpoint(JsonElement root, string name, Uri source)
    {
        if (!root.TryGetProperty(name, out var e) || e.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        if (!Uri.TryCreate(e.GetString(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
        {
            throw new CredentialException($"'{name}' in {source} is not an https URL.");
        }

        return uri;
    }

    private GatewaySession? Load()
    {
        var bytes = _cache.TryReadBytes(_cacheKey, TextWriter.Null);
        if (bytes is null)
        {
            return null;
        }

        try
        {
            return GatewaySession.FromUtf8Json(bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private GatewaySession Save(OidcTokenResponse tokens, string what)
    {
        if (tokens.AccessToken is not { } access || tokens.RefreshToken is not { } refresh)
        {
            throw new CredentialException($"The gateway {_gateway} answered the {what} without an access token and a refresh token.");
        }

        var now = _environment.UtcNow;
        var session = new GatewaySession
        {
            Gateway = _gateway,
            ClientId = _clientId,
            RefreshToken = refresh,
            AccessToken = access,
            AccessTokenIssuedAt = now,
            AccessTokenExpiresAt = now + (tokens.ExpiresIn ?? TimeSpan.FromMinutes(10)),
        };
        var bytes = session.ToUtf8Json();
        try
        {
            _cache.WriteBytes(_cacheKey, bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }

        return session;
    }
}
