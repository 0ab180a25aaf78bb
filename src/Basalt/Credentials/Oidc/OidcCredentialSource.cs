using Basalt.Aws;
using Basalt.Credentials.Browser;
using Basalt.Identity.Jwt;

namespace Basalt.Credentials.Oidc;

/// <summary>
/// AWS credentials for a user of the organization's own identity provider (Okta, Entra ID, Auth0, Cognito,
/// Google or any OIDC IdP): an ID token from the IdP, verified, then traded with STS
/// <c>AssumeRoleWithWebIdentity</c> for role credentials (bedrock-and-clients §4, seeds/003).
/// <para>
/// Order of attempts: a cached ID token that is still valid; the refresh-token grant (silent); and only when the
/// request may prompt the user, a full sign-in — authorization code + PKCE through the browser with a loopback
/// redirect, or the device code over SSH and on machines without a display. A request that may not prompt
/// (Claude Desktop's non-interactive contexts, cowork3p-reference §4) fails fast with
/// <see cref="CredentialException.NeedsInteractiveSignIn"/>.
/// </para>
/// </summary>
public sealed class OidcCredentialSource : ICredentialSource, IDisposable
{
    private readonly OidcSourceSettings _settings;
    private readonly IOidcSessionStore _store;
    private readonly OidcRuntime _runtime;
    private readonly HttpClient _httpClient;
    private readonly bool _ownsHttpClient;
    private readonly OidcHttp _http;
    private readonly OidcMetadataCache _metadata;
    private readonly OidcTokenClient _tokens;
    private readonly WebIdentityRoleAssumer _sts;

    public OidcCredentialSource(OidcSourceSettings settings, IOidcSessionStore store)
        : this(settings, store, OidcRuntime.Default)
    {
    }

    internal OidcCredentialSource(OidcSourceSettings settings, IOidcSessionStore store, OidcRuntime runtime)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(runtime);
        _settings = settings;
        _store = store;
        _runtime = runtime;
        _ownsHttpClient = runtime.HttpClient is null;
        _httpClient = runtime.HttpClient ?? new HttpClient(new SocketsHttpHandler { ConnectTimeout = runtime.RequestTimeout, AllowAutoRedirect = false })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http = new OidcHttp(_httpClient, runtime.RequestTimeout);
        _metadata = runtime.MetadataCache ?? OidcMetadataCache.Shared;
        _tokens = new OidcTokenClient(_http, runtime.Time);
        _sts = new WebIdentityRoleAssumer(settings, runtime.RequestTimeout);
    }

    public string Kind => "oidc";

    public async ValueTask<AwsCredentials> GetCredentialsAsync(CredentialRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var token = await GetIdTokenAsync(request, useCachedIdToken: true, cancellationToken).ConfigureAwait(false);
        var result = await AssumeRoleAsync(token, cancellationToken).ConfigureAwait(false);
        if (result.Credentials is null && result.IsExpiredToken && token.FromCache)
        {
            // STS's clock says the cached token is over (or it was revoked at the IdP): get a fresh one and try once more.
            token = await GetIdTokenAsync(request, useCachedIdToken: false, cancellationToken).ConfigureAwait(false);
            result = await AssumeRoleAsync(token, cancellationToken).ConfigureAwait(false);
        }

        return result.Credentials ?? throw new CredentialException(result.Message);
    }

    /// <summary>
    /// A verified ID token for STS: a cached one that is still valid, else from the refresh-token grant (silent),
    /// else — only when the request may prompt — from a full sign-in. The session state is saved on every new token.
    /// </summary>
    internal async Task<SignedInToken> GetIdTokenAsync(CredentialRequest request, bool useCachedIdToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var log = request.Log;
        var state = request.ForceLogin ? null : await _store.LoadAsync(cancellationToken).ConfigureAwait(false);
        if (state is not null && !state.BelongsTo(_settings.Issuer, _settings.ClientId))
        {
            // Settings changed to another IdP or application: the old tokens mean nothing there.
            state = null;
        }

        // 1. An ID token from an earlier run that is still good: no IdP round trip at all.
        if (useCachedIdToken && state is { IdToken: { } cachedToken, IdTokenExpiresAt: { } cachedExpiry, Subject: { } subject }
            && cachedExpiry - _runtime.Time.GetUtcNow() >= _runtime.MinimumIdTokenLifetime)
        {
            return new SignedInToken(cachedToken, subject, state.Email, FromCache: true);
        }

        // 2. The refresh-token grant: the silent path every context may use.
        if (state is { RefreshToken: { } refreshToken } && await TryRefreshAsync(state, refreshToken, log, cancellationToken).ConfigureAwait(false) is { } refreshed)
        {
            return refreshed;
        }

        // 3. A full sign-in, only with a user present.
        if (!request.MayPromptUser)
        {
            throw new CredentialException(
                $"Sign-in to {_settings.Issuer} is required, but this {Describe(request.Context)} run may not open a browser or wait for you. " +
                "Start a new session (or run the credential helper with --login) to sign in.")
            {
                NeedsInteractiveSignIn = true,
            };
        }

        var flow = OidcFlowSelector.Resolve(_settings.Flow, _settings.ProviderPreset, _runtime.Environment);
        using var signInTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        signInTimeout.CancelAfter(_runtime.SignInTimeout);
        try
        {
            var document = await _metadata.GetDiscoveryAsync(_http, _settings.Issuer, cancellationToken).ConfigureAwait(false);
            var (tokens, nonce) = flow == OidcFlow.Device
                ? (await SignInWithDeviceCodeAsync(document, log, signInTimeout.Token).ConfigureAwait(false), (string?)null)
                : await SignInWithBrowserAsync(document, log, signInTimeout.Token).ConfigureAwait(false);
            var claims = await VerifyAsync(document, tokens.IdToken, nonce, cancellationToken).ConfigureAwait(false);
            await SaveAsync(claims, tokens.RefreshToken, cancellationToken).ConfigureAwait(false);
            log.WriteLine($"Signed in to {_settings.Issuer} as {claims.Email ?? claims.Subject}.");
            return new SignedInToken(claims.RawToken, claims.Subject!, claims.Email, FromCache: false);
        }
        catch (OperationCanceledException) when (signInTimeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new CredentialException($"No sign-in was completed within {_runtime.SignInTimeout.TotalMinutes:0.#} minutes. Run the command again to retry.");
        }
    }

    public void Dispose()
    {
        if (_ownsHttpClient)
        {
            _httpClient.Dispose();
        }
    }

    /// <summary>
    /// Renews the sign-in with the refresh token; null means the token is no longer accepted (expired, revoked,
    /// rotated away) or gave no usable ID token, so only a full sign-in can help. An unreachable IdP throws: a new
    /// sign-in would not help with that.
    /// </summary>
    private async Task<SignedInToken?> TryRefreshAsync(OidcSessionState state, string refreshToken, TextWriter log, CancellationToken cancellationToken)
    {
        var document = await _metadata.GetDiscoveryAsync(_http, _settings.Issuer, cancellationToken).ConfigureAwait(false);
        var result = await _tokens.RefreshAsync(document, _settings.ClientId, refreshToken, cancellationToken).ConfigureAwait(false);
        if (result.Tokens is not { } tokens)
        {
            // RFC 6749 §5.2: invalid_grant is an expired, revoked or already-rotated refresh token.
            if (result.Error is "invalid_grant" or "invalid_token" || result.Status is System.Net.HttpStatusCode.BadRequest or System.Net.HttpStatusCode.Unauthorized)
            {
                log.WriteLine($"The saved sign-in for {_settings.Issuer} is no longer valid ({result.Error ?? "refused"}); a new sign-in is needed.");
                await _store.ClearAsync(cancellationToken).ConfigureAwait(false);
                return null;
            }

            throw new CredentialException($"Refreshing the sign-in with {_settings.Issuer} failed: {result.Describe()}.");
        }

        JwtClaims claims;
        if (tokens.IdToken is not null)
        {
            claims = await VerifyAsync(document, tokens.IdToken, nonce: null, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // Google (and some others) refresh without a new ID token (cowork3p-reference §6.3): keep the rotated
            // refresh token, and use the old ID token while it lasts.
            var stillValid = state is { IdToken: not null, IdTokenExpiresAt: { } expiry } && expiry - _runtime.Time.GetUtcNow() > TimeSpan.FromMinutes(1);
            await _store.SaveAsync(state with { RefreshToken = tokens.RefreshToken ?? refreshToken, UpdatedAt = _runtime.Time.GetUtcNow() }, cancellationToken).ConfigureAwait(false);
            if (!stillValid)
            {
                log.WriteLine($"{_settings.Issuer} refreshed the sign-in without a new ID token ({_settings.ProviderPreset.Name}); a new sign-in is needed for AWS.");
                return null;
            }

            return new SignedInToken(state.IdToken!, state.Subject ?? "oidc-user", state.Email, FromCache: true);
        }

        await SaveAsync(claims, tokens.RefreshToken ?? refreshToken, cancellationToken).ConfigureAwait(false);
        return new SignedInToken(claims.RawToken, claims.Subject!, claims.Email, FromCache: false);
    }

    private async Task<(OidcTokenResponse Tokens, string? Nonce)> SignInWithBrowserAsync(OidcDiscoveryDocument document, TextWriter log, CancellationToken cancellationToken)
    {
        await using var listener = LoopbackRedirectListener.Start(_settings.RedirectPort);
        var verifier = Pkce.CreateVerifier();
        var state = Pkce.RandomToken();
        var nonce = Pkce.RandomToken();
        var authorizationUrl = AuthorizationUrl(document, listener.RedirectUri, Pkce.Challenge(verifier), state, nonce);

        var opened = new BrowserLauncher(_runtime.Environment).TryOpen(authorizationUrl);
        log.WriteLine(opened
            ? $"Opened your browser to sign in to {_settings.Issuer}. If it did not open, visit:"
            : $"Could not open a browser. To sign in to {_settings.Issuer}, visit:");
        log.WriteLine($"  {authorizationUrl.AbsoluteUri}");
        log.WriteLine($"Waiting for the sign-in on {listener.RedirectUri} ...");

        var code = await listener.WaitForCodeAsync(state, document.Issuer, document.AuthorizationResponseIssParameterSupported, cancellationToken).ConfigureAwait(false);
        var result = await _tokens.ExchangeCodeAsync(document, _settings.ClientId, code, listener.RedirectUri, verifier, cancellationToken).ConfigureAwait(false);
        if (result.Tokens is not { } tokens)
        {
            throw new CredentialException($"The identity provider did not accept the sign-in code: {result.Describe()}." +
                (result.Status == System.Net.HttpStatusCode.Unauthorized ? " The application must be a public (native) client without a client secret." : string.Empty));
        }

        return (tokens, nonce);
    }

    private async Task<OidcTokenResponse> SignInWithDeviceCodeAsync(OidcDiscoveryDocument document, TextWriter log, CancellationToken cancellationToken)
    {
        var authorization = await _tokens.StartDeviceAuthorizationAsync(document, _settings.ClientId, _settings.Scopes, cancellationToken).ConfigureAwait(false);

        // The user code is meant to be read by the user; the device code (the polling secret) is never shown.
        log.WriteLine($"To sign in to {_settings.Issuer}, open {authorization.VerificationUri.AbsoluteUri} on any device and enter the code: {authorization.UserCode}");
        if (authorization.VerificationUriComplete is { } complete)
        {
            log.WriteLine($"  or open: {complete.AbsoluteUri}");
        }

        log.WriteLine($"Waiting for the sign-in (the code expires in {authorization.ExpiresIn.TotalMinutes:0} minutes) ...");
        return await _tokens.PollDeviceTokenAsync(document, _settings.ClientId, authorization, cancellationToken).ConfigureAwait(false);
    }

    private Uri AuthorizationUrl(OidcDiscoveryDocument document, Uri redirectUri, string challenge, string state, string nonce)
    {
        List<KeyValuePair<string, string>> query =
        [
            new("response_type", "code"),
            new("client_id", _settings.ClientId),
            new("redirect_uri", redirectUri.OriginalString),
            new("scope", string.Join(' ', _settings.Scopes)),
            new("state", state),
            new("nonce", nonce),
            new("code_challenge", challenge),
            new("code_challenge_method", "S256"),
            .. _settings.ProviderPreset.ExtraAuthorizationParameters,
        ];
        var builder = new UriBuilder(document.AuthorizationEndpoint);
        var existing = builder.Query.TrimStart('?');
        var added = string.Join('&', query.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        builder.Query = existing.Length == 0 ? added : existing + "&" + added;
        return builder.Uri;
    }

    /// <summary>Verifies an ID token; a key the cached JWKS lacks triggers one refetch (the IdP rotated its keys).</summary>
    private async Task<JwtClaims> VerifyAsync(OidcDiscoveryDocument document, string? idToken, string? nonce, CancellationToken cancellationToken)
    {
        if (idToken is null)
        {
            throw new CredentialException($"The identity provider returned no ID token. Make sure the scopes include 'openid' (scopes: {string.Join(' ', _settings.Scopes)}).");
        }

        var expect = new JwtExpectations(document.Issuer, [_settings.ExpectedAudience], _runtime.Time.GetUtcNow(), _runtime.ClockSkew)
        {
            AuthorizedParty = _settings.ClientId,
            Nonce = nonce,
        };
        var validation = await JwtValidator.ValidateAsync(idToken, expect, (refresh, ct) => _metadata.GetKeysAsync(_http, document, refresh, ct), cancellationToken).ConfigureAwait(false);
        return validation.Claims ?? throw new CredentialException($"The ID token from {_settings.Issuer} was rejected: {validation.Message.Replace("the token", "the ID token", StringComparison.Ordinal)}.");
    }

    private async Task SaveAsync(JwtClaims claims, string? refreshToken, CancellationToken cancellationToken)
    {
        var state = new OidcSessionState
        {
            Issuer = _settings.Issuer,
            ClientId = _settings.ClientId,
            RefreshToken = refreshToken,
            IdToken = claims.RawToken,
            IdTokenExpiresAt = claims.ExpiresAt!.Value,
            Subject = claims.Subject,
            Email = claims.Email,
            UpdatedAt = _runtime.Time.GetUtcNow(),
        };
        await _store.SaveAsync(state, cancellationToken).ConfigureAwait(false);
    }

    private Task<StsResult> AssumeRoleAsync(SignedInToken token, CancellationToken cancellationToken)
        => _sts.AssumeAsync(token.IdToken, RoleSessionName.From(token.Email, token.Subject), cancellationToken);

    private static string Describe(CredentialContext context) => context switch
    {
        CredentialContext.MidSessionRefresh => "mid-session refresh",
        CredentialContext.ScheduledTask => "scheduled task",
        CredentialContext.SetupTest => "setup test",
        CredentialContext.Background => "background",
        _ => "non-interactive",
    };
}
