using Basalt.Identity.Jwt;

namespace Basalt.Identity.Oidc;

/// <summary>
/// Bearer tokens (ID or access tokens, JWTs) from the organization's IdPs, several at once (issue 9 item 2). The
/// token's <c>iss</c> picks the configured issuer (a token from any other issuer is not recognised, so the chain
/// refuses it); the one <see cref="JwtValidator"/> checks it with the issuer's keys (discovered, cached, one
/// rate-limited refetch on rotation); the result is cached until the token's <c>exp</c>, so a known token costs a
/// dictionary lookup. The principal's id is <c>oid</c> when present (Entra), else <c>sub</c> — never the email
/// (cowork3p-reference §6.3).
/// </summary>
public sealed class OidcBearerAuthenticator : IRequestAuthenticator
{
    private readonly IReadOnlyList<OidcIssuerOptions> _issuers;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly SigningKeyCache _keys;
    private readonly CredentialCache _cache;

    public OidcBearerAuthenticator(IReadOnlyList<OidcIssuerOptions> issuers, HttpClient http, TimeProvider? time = null, SigningKeyCache? keys = null, CredentialCache? cache = null)
    {
        ArgumentNullException.ThrowIfNull(issuers);
        ArgumentNullException.ThrowIfNull(http);
        _issuers = issuers;
        _http = http;
        _time = time ?? TimeProvider.System;
        _keys = keys ?? new SigningKeyCache(_time);
        _cache = cache ?? new CredentialCache(_time);
    }

    public async ValueTask<AuthenticationResult> AuthenticateAsync(AuthenticationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var token = request.Credential;
        if (token is null || !LooksLikeJwt(token))
        {
            return AuthenticationResult.NotRecognised;
        }

        if (_cache.TryGet(token, out var cached))
        {
            return cached;
        }

        if (JwtValidator.ReadUnverified(token) is not { } unverified)
        {
            return AuthenticationResult.Reject("the bearer token is not a well-formed signed JWT");
        }

        var options = Find(unverified.Issuer);
        if (options is null)
        {
            // Maybe the gateway's own tokens, or another authenticator's: the chain refuses it if nobody knows it.
            return AuthenticationResult.NotRecognised;
        }

        var expect = new JwtExpectations(options.Issuer, options.Audiences, _time.GetUtcNow(), options.ClockSkew)
        {
            AuthorizedParty = options.ClientId,
            Algorithms = options.Algorithms,
        };
        JwtValidation validation;
        try
        {
            validation = await JwtValidator.ValidateAsync(token, expect, (refresh, ct) => KeysAsync(options, refresh, ct), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or FormatException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return AuthenticationResult.Reject($"the signing keys of {options.Issuer} could not be fetched; try again shortly");
        }

        if (validation.Claims is not { } claims)
        {
            var refusal = AuthenticationResult.Reject($"bearer token refused: {validation.Message}");
            _cache.Set(token, refusal, _time.GetUtcNow() + CredentialCache.RefusalLifetime);
            return refusal;
        }

        var credentialId = claims.String("jti") is { Length: > 0 and <= 128 } jti ? "jti:" + jti : CredentialFingerprint.Of(token);
        var principal = PrincipalClaims.ToPrincipal(claims, options.Groups, AuthenticationMethod.OidcBearer, credentialId, options.CostCentreClaim);
        var success = AuthenticationResult.Success(principal);

        // Until exp exactly: the skew allowance is for clocks that disagree, not a grace period to extend.
        _cache.Set(token, success, claims.ExpiresAt!.Value);
        return success;
    }

    private OidcIssuerOptions? Find(string issuer)
    {
        foreach (var options in _issuers)
        {
            if (string.Equals(options.Issuer.TrimEnd('/'), issuer.TrimEnd('/'), StringComparison.Ordinal))
            {
                return options;
            }
        }

        return null;
    }

    private ValueTask<SigningKeySet> KeysAsync(OidcIssuerOptions options, bool refresh, CancellationToken cancellationToken)
        => options.JwksUri is { } uri
            ? _keys.GetAsync(uri.AbsoluteUri, ct => OidcKeyDiscovery.FetchKeysAsync(_http, uri, ct), refresh, cancellationToken)
            : _keys.GetAsync(options.Issuer, ct => OidcKeyDiscovery.FetchAsync(_http, options.Issuer, ct), refresh, cancellationToken);

    /// <summary>A JWS compact token: three dot-separated parts, the header a JSON object (base64url of <c>{"</c> is <c>eyJ</c>).</summary>
    internal static bool LooksLikeJwt(string token)
        => token.StartsWith("eyJ", StringComparison.Ordinal) && token.Count(c => c == '.') == 2;
}
