using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Basalt.Credentials.Oidc;
using Basalt.Identity.OAuth.Stores;
using static Basalt.Identity.OAuth.PendingGrants;

namespace Basalt.Identity.OAuth;

/// <summary>
/// The gateway's authorization server (issue 9 item 3): the device grant (RFC 8628) for Claude Desktop and CLIs,
/// the authorization code grant with PKCE (RFC 6749 §4.1, RFC 7636) for clients that open a browser, refresh with
/// rotation and reuse detection (RFC 9700 §4.14.2: a rotated refresh token presented again revokes its whole
/// family), and revocation (RFC 7009). People prove who they are at the organization's IdP
/// (<see cref="UpstreamSignIn"/>); the gateway then issues its own ES256 access tokens, which
/// <see cref="GatewayTokenAuthenticator"/> accepts. The HTTP mapping is <c>Gateway/Authentication/OAuthEndpoint</c>.
/// </summary>
public sealed partial class OAuthAuthority : IAsyncDisposable
{
    public const string DeviceCodeGrantType = OidcTokenClient.DeviceCodeGrantType;

    /// <summary>The client of device grants requested without a <c>client_id</c> (Claude Code's gateway sign-in).</summary>
    internal const string UnnamedClient = "";

    private readonly OAuthServerOptions _options;
    private readonly OAuthStore _store;
    private readonly GatewayTokenSigner _signer;
    private readonly IPersonSignIn _upstream;
    private readonly PendingGrants _pending;
    private readonly TimeProvider _time;
    private Uri? _issuer;

    private OAuthAuthority(OAuthServerOptions options, OAuthStore store, GatewayTokenSigner signer, HttpClient http, TimeProvider time)
    {
        _options = options;
        _store = store;
        _signer = signer;
        _time = time;
        _issuer = options.Issuer;
        _upstream = options.IdentityCenter is { } identityCenter
            ? new IdentityCenterSignIn(identityCenter, new IdentityCenterClients(store.Database, time), http, time)
            : new UpstreamSignIn(options, http, time);
        _pending = new PendingGrants(store.Database, time);
        Authenticator = new GatewayTokenAuthenticator(this, time);
    }

    /// <summary>The issuer URL without a trailing slash; the first listener address unless configured.</summary>
    public string Issuer => (_issuer ?? throw new InvalidOperationException("the OAuth issuer is not known before the gateway listens")).OriginalString.TrimEnd('/');

    /// <summary>The metadata parameter naming how people sign in: <c>oidc</c> or <see cref="IdentityCenterSignInKind"/>.</summary>
    public const string SignInKindParameter = "basalt_sign_in";

    /// <summary>The metadata parameter with the IdP's issuer or IAM Identity Center's access portal URL.</summary>
    public const string SignInServiceParameter = "basalt_sign_in_service";

    public const string IdentityCenterSignInKind = "iam-identity-center";

    /// <summary>Where people sign in: the organization's IdP (<c>identity.oauth.signIn.issuer</c>) or IAM Identity Center's access portal.</summary>
    public string SignInIssuer => _upstream.Name;

    public GatewayTokenAuthenticator Authenticator { get; }

    public OAuthStore Store => _store;

    internal GatewayTokenSigner Signer => _signer;

    internal TimeSpan AccessTokenLifetime => _options.AccessTokenLifetime;

    internal TimeSpan RevocationCheckInterval => _options.RevocationCheckInterval;

    public static async Task<OAuthAuthority> CreateAsync(OAuthServerOptions options, HttpClient http, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var store = options.PostgresConnectionString is { } pg
            ? await OAuthStore.OpenPostgresAsync(pg, cancellationToken).ConfigureAwait(false)
            : await OAuthStore.OpenSqliteAsync(options.SqliteFile ?? throw new ArgumentException("an OAuth store (SQLite file or PostgreSQL) is required", nameof(options)), cancellationToken).ConfigureAwait(false);
        var key = await store.SigningKeyAsync(GatewayTokenSigner.NewKey, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return new OAuthAuthority(options, store, GatewayTokenSigner.FromPkcs8(key), http, time);
    }

    /// <summary>Sets the issuer from the bound address when the configuration names none (loopback, tests).</summary>
    public void UseAddress(Uri address) => _issuer ??= address;

    public string EndpointUrl(string path) => Issuer + path;

    /// <summary>RFC 8414 §2 metadata. Claude Desktop requires <c>device_authorization_endpoint</c> (cowork3p-reference §6.3).</summary>
    public byte[] MetadataJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("issuer", Issuer);
            w.WriteString("authorization_endpoint", EndpointUrl(OAuthPaths.Authorize));
            w.WriteString("token_endpoint", EndpointUrl(OAuthPaths.Token));
            w.WriteString("device_authorization_endpoint", EndpointUrl(OAuthPaths.DeviceAuthorization));
            w.WriteString("revocation_endpoint", EndpointUrl(OAuthPaths.Revoke));
            w.WriteString("jwks_uri", EndpointUrl(OAuthPaths.Jwks));
            Strings(w, "response_types_supported", ["code"]);
            Strings(w, "grant_types_supported", ["authorization_code", "refresh_token", DeviceCodeGrantType]);
            Strings(w, "code_challenge_methods_supported", ["S256"]);
            Strings(w, "token_endpoint_auth_methods_supported", ["none"]);
            Strings(w, "revocation_endpoint_auth_methods_supported", ["none"]);
            w.WriteBoolean("authorization_response_iss_parameter_supported", true);

            // RFC 8414 §2 allows further parameters: where people prove who they are (a public URL already: the
            // browser is sent there), so 'basalt gateway doctor' can say whether sign-in goes through IAM Identity Center.
            w.WriteString(SignInKindParameter, _options.IdentityCenter is null ? "oidc" : IdentityCenterSignInKind);
            w.WriteString(SignInServiceParameter, SignInIssuer);
            w.WriteEndObject();
        }

        return buffer.ToArray();

        static void Strings(Utf8JsonWriter w, string name, string[] values)
        {
            w.WriteStartArray(name);
            foreach (var v in values)
            {
                w.WriteStringValue(v);
            }

            w.WriteEndArray();
        }
    }

    /// <summary>
    /// RFC 8628 §3.1-3.2: a device code and a user code for a public client. Claude Code's gateway sign-in sends no
    /// <c>client_id</c> (only <c>surface=claude_code</c>; its embedded gateway contract says "don't require them"),
    /// so a request without one is the unnamed public client <see cref="UnnamedClient"/>: a public client proves
    /// nothing with its id (RFC 8628 §5.6), the 256-bit device code is what the token request must hold.
    /// </summary>
    internal async Task<(string? DeviceCode, DeviceGrant? Grant, OAuthError? Error)> StartDeviceAsync(string? clientId, string? scope, CancellationToken cancellationToken)
    {
        clientId ??= UnnamedClient;
        if (clientId.Length > 200)
        {
            return (null, null, OAuthError.InvalidRequest("client_id is longer than 200 characters"));
        }

        for (var attempt = 0; attempt < 3; attempt++)
        {
            var deviceCode = Pkce.RandomToken(32);
            var grant = new DeviceGrant(Hash(deviceCode), UserCode.Create(), clientId, Scope(scope), _time.GetUtcNow() + _options.DeviceCodeLifetime, _options.PollInterval, null, DeviceState.Pending, null);
            if (await _pending.TryAddDeviceAsync(grant, cancellationToken).ConfigureAwait(false))
            {
                return (deviceCode, grant, null);
            }
        }

        return (null, null, new OAuthError("temporarily_unavailable", "too many sign-ins are in progress; try again in a minute", 503));
    }

    /// <summary>
    /// The pending device grant a person typed the user code of on the gateway's page, or why not. RFC 8628 §5.1:
    /// user codes are short enough to guess, so wrong codes are counted per client address and gateway-wide in
    /// fixed windows (in the store, so spreading guesses over replicas gains nothing), and once a limit is reached
    /// the page refuses to look codes up at all until the window ends: with 20^8 codes, at most
    /// <see cref="PendingGrants.Capacity"/> pending and <see cref="OAuthServerOptions.UserCodeFailuresGatewayWide"/>
    /// wrong guesses per window, a guess hits one in 2.5 million, and a whole window of them about one in 2,500.
    /// </summary>
    internal async Task<(DeviceGrant? Grant, UserCodeRefusal? Refusal)> FindUserCodeAsync(string? typed, string? address, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var window = _options.UserCodeFailureWindow;
        var windowStart = DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds() / (long)window.TotalMilliseconds * (long)window.TotalMilliseconds);
        address = string.IsNullOrEmpty(address) ? "unknown" : address;
        if (await _pending.UserCodeFailuresAsync(address, windowStart, cancellationToken).ConfigureAwait(false) >= _options.UserCodeFailuresPerAddress
            || await _pending.UserCodeFailuresAsync(null, windowStart, cancellationToken).ConfigureAwait(false) >= _options.UserCodeFailuresGatewayWide)
        {
            return (null, UserCodeRefusal.TooManyAttempts(windowStart + window - now));
        }

        if (UserCode.Normalize(typed) is { } code && await _pending.ByUserCodeAsync(code, cancellationToken).ConfigureAwait(false) is { } grant)
        {
            if (grant.State == DeviceState.Pending && grant.WrongCodesWhilePending >= _options.UserCodeFailuresPerDeviceCode)
            {
                // Per device code: the right code, but after that many guesses it may be the guesser's; the device
                // is told access_denied and the person starts again with a fresh code.
                await _pending.DenyAsync(grant.DeviceHash, cancellationToken).ConfigureAwait(false);
                return (null, UserCodeRefusal.Exposed);
            }

            return grant.State == DeviceState.Pending ? (grant, null) : (null, UserCodeRefusal.Unknown);
        }

        await _pending.AddUserCodeFailureAsync(address, windowStart, cancellationToken).ConfigureAwait(false);
        return (null, UserCodeRefusal.Unknown);
    }

    /// <summary>The person confirmed the user code on the gateway's page: on to the IdP, or why not.</summary>
    internal async Task<(Uri? Redirect, UserCodeRefusal? Refusal)> BeginDeviceSignInAsync(string? typed, string? address, CancellationToken cancellationToken)
    {
        var (grant, refusal) = await FindUserCodeAsync(typed, address, cancellationToken).ConfigureAwait(false);
        return grant is null ? (null, refusal) : (await BeginSignInAsync(grant.DeviceHash, null, cancellationToken).ConfigureAwait(false), null);
    }

    /// <summary>The person pressed "deny" on the gateway's page (RFC 8628 §3.5 <c>access_denied</c>).</summary>
    internal async Task<UserCodeRefusal?> DenyDeviceAsync(string? typed, string? address, CancellationToken cancellationToken)
    {
        var (grant, refusal) = await FindUserCodeAsync(typed, address, cancellationToken).ConfigureAwait(false);
        if (grant is not null)
        {
            await _pending.DenyAsync(grant.DeviceHash, cancellationToken).ConfigureAwait(false);
        }

        return refusal;
    }

    /// <summary>
    /// A client's authorization request (RFC 6749 §4.1.1, PKCE S256 required). Errors about the client or its
    /// redirect URI are shown to the person and never redirected (§4.1.2.1: an unchecked redirect is an open
    /// redirector); other errors go back to the client's redirect URI.
    /// </summary>
    internal async Task<(Uri? Redirect, string? Refusal)> AuthorizeAsync(IReadOnlyDictionary<string, string> query, CancellationToken cancellationToken)
    {
        var clientId = query.GetValueOrDefault("client_id");
        var redirect = query.GetValueOrDefault("redirect_uri");
        var client = _options.Clients.FirstOrDefault(c => string.Equals(c.Id, clientId, StringComparison.Ordinal));
        if (client is null)
        {
            return (null, $"the client '{Truncate(clientId)}' is not registered at this gateway (identity.oauth.clients)");
        }

        if (redirect is null || !client.Allows(redirect))
        {
            return (null, $"the redirect_uri is not registered for client '{client.Id}'");
        }

        var state = query.GetValueOrDefault("state");
        if (query.GetValueOrDefault("response_type") != "code")
        {
            return (ErrorRedirect(redirect, state, "unsupported_response_type", "only response_type=code is supported"), null);
        }

        var challenge = query.GetValueOrDefault("code_challenge");
        if (query.GetValueOrDefault("code_challenge_method") != "S256" || challenge is not { Length: 43 })
        {
            return (ErrorRedirect(redirect, state, "invalid_request", "PKCE is required: code_challenge (43 characters) with code_challenge_method=S256"), null);
        }

        var request = new ClientRequest(client.Id, redirect, state, challenge, Scope(query.GetValueOrDefault("scope")));
        return (await BeginSignInAsync(null, request, cancellationToken).ConfigureAwait(false), null);
    }

    /// <summary>
    /// The IdP's redirect back to the gateway. Returns where to send the browser (a client's redirect URI) or the
    /// message for the page the person sees (device grant: "return to your device").
    /// </summary>
    internal async Task<(Uri? Redirect, string Message, bool Success)> CallbackAsync(IReadOnlyDictionary<string, string> query, CancellationToken cancellationToken)
    {
        if (query.GetValueOrDefault("state") is not { Length: <= 200 } state || await _pending.TakeSignInAsync(state, cancellationToken).ConfigureAwait(false) is not { } signIn)
        {
            return (null, "This sign-in link is not valid any more (it was used already, or it expired). Start the sign-in again on your device.", false);
        }

        // RFC 9207: when the IdP names itself, it must be the IdP this sign-in went to (mix-up defence).
        if (query.GetValueOrDefault("iss") is { } iss && !string.Equals(iss.TrimEnd('/'), _upstream.ResponseIssuer?.TrimEnd('/'), StringComparison.Ordinal))
        {
            return await FailAsync(signIn, "access_denied", "The sign-in response came from an unexpected identity provider.");
        }

        if (query.GetValueOrDefault("error") is { } error)
        {
            return await FailAsync(signIn, error == "access_denied" ? "access_denied" : "server_error", "The identity provider did not sign you in" + (error == "access_denied" ? " (declined)." : $" ({Truncate(error)})."));
        }

        if (query.GetValueOrDefault("code") is not { } code)
        {
            return await FailAsync(signIn, "server_error", "The identity provider's answer had no sign-in code.");
        }

        var (principal, refusal) = await _upstream.CompleteAsync(code, new Uri(EndpointUrl(OAuthPaths.Callback)), signIn.Verifier, signIn.Nonce, cancellationToken).ConfigureAwait(false);
        if (principal is null)
        {
            return await FailAsync(signIn, "access_denied", "Sign-in failed: " + refusal);
        }

        if (signIn.DeviceHash is { } device)
        {
            if (!await _pending.ApproveAsync(device, principal, cancellationToken).ConfigureAwait(false))
            {
                return (null, "This device code was already used or declined. Start the sign-in again on your device.", false);
            }

            return (null, $"Signed in as {principal.DisplayName}. You can close this window and return to your device.", true);
        }

        var request = signIn.Client!;
        var issued = new AuthorizationCode(Pkce.RandomToken(32), request, principal, _time.GetUtcNow() + _options.SignInLifetime);
        if (!await _pending.TryAddCodeAsync(issued, cancellationToken).ConfigureAwait(false))
        {
            return (ErrorRedirect(request.RedirectUri, request.State, "temporarily_unavailable", "too many sign-ins in progress"), string.Empty, false);
        }

        return (OAuthQuery.Append(request.RedirectUri, ("code", issued.Code), ("state", request.State), ("iss", Issuer)), string.Empty, true);
    }

    /// <summary>The token endpoint (RFC 6749 §3.2) for the three grants.</summary>
    internal async Task<OAuthTokens> TokenAsync(IReadOnlyDictionary<string, string> form, CancellationToken cancellationToken)
    {
        // No client_id (Claude Code): the unnamed public client, which only device grants and their refreshes have.
        var clientId = form.GetValueOrDefault("client_id") ?? UnnamedClient;
        return form.GetValueOrDefault("grant_type") switch
        {
            DeviceCodeGrantType => await DeviceTokenAsync(form.GetValueOrDefault("device_code"), clientId, cancellationToken).ConfigureAwait(false),
            "authorization_code" => await CodeTokenAsync(form, clientId, cancellationToken).ConfigureAwait(false),
            "refresh_token" => await RefreshAsync(form.GetValueOrDefault("refresh_token"), clientId, cancellationToken).ConfigureAwait(false),
            null => OAuthTokens.Fail(OAuthError.InvalidRequest("grant_type is required")),
            var other => OAuthTokens.Fail(new OAuthError("unsupported_grant_type", $"grant_type '{Truncate(other)}' is not supported; use {DeviceCodeGrantType}, authorization_code or refresh_token")),
        };
    }

    /// <summary>
    /// RFC 7009: revoking a refresh token revokes its family; revoking an access token revokes the family it came
    /// from. Unknown tokens are not an error (§2.2), so the answer says nothing about which tokens exist.
    /// </summary>
    internal async Task RevokeAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 16 * 1024)
        {
            return;
        }

        if (await _store.FindAsync(Hash(token), cancellationToken).ConfigureAwait(false) is { } found)
        {
            await RevokeFamilyAsync(found.Record.FamilyId, "revoked by the client", cancellationToken).ConfigureAwait(false);
            return;
        }

        if (Authenticator.FamilyOf(token) is { } family)
        {
            await RevokeFamilyAsync(family, "revoked by the client", cancellationToken).ConfigureAwait(false);
        }
    }

    internal Task<bool> IsFamilyRevokedAsync(string family, CancellationToken cancellationToken) => _store.IsFamilyRevokedAsync(family, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _signer.Dispose();
        await _store.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<Uri> BeginSignInAsync(string? deviceHash, ClientRequest? client, CancellationToken cancellationToken)
    {
        var signIn = new SignIn(Pkce.RandomToken(32), Pkce.RandomToken(), Pkce.CreateVerifier(), _time.GetUtcNow() + _options.SignInLifetime, deviceHash, client);
        if (!await _pending.TryAddSignInAsync(signIn, cancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException("too many sign-ins are in progress; try again in a minute");
        }

        return await _upstream.AuthorizeUrlAsync(new Uri(EndpointUrl(OAuthPaths.Callback)), signIn.State, signIn.Nonce, signIn.Verifier, cancellationToken).ConfigureAwait(false);
    }

    private async Task<(Uri? Redirect, string Message, bool Success)> FailAsync(SignIn signIn, string error, string message)
    {
        if (signIn.DeviceHash is { } device)
        {
            await _pending.DenyAsync(device, CancellationToken.None).ConfigureAwait(false);
            return (null, message, false);
        }

        var request = signIn.Client!;
        return (ErrorRedirect(request.RedirectUri, request.State, error, message), message, false);
    }

    internal static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Truncate(string? value) => value is null ? "(none)" : value.Length > 64 ? value[..64] + "…" : value;

    private Uri ErrorRedirect(string redirect, string? state, string error, string description)
        => OAuthQuery.Append(redirect, ("error", error), ("error_description", description), ("state", state), ("iss", Issuer));

}
