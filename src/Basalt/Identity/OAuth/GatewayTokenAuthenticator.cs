using System.Collections.Concurrent;
using Basalt.Identity.Jwt;
using Basalt.Identity.Oidc;

namespace Basalt.Identity.OAuth;

/// <summary>
/// Accepts the access tokens the gateway's own authorization server issued (<see cref="AuthenticationMethod.GatewayToken"/>):
/// an ES256 JWT whose <c>iss</c> and <c>aud</c> are the gateway, checked by the one <see cref="JwtValidator"/>
/// against the gateway's key. The groups were resolved at sign-in and travel in the token. A token of a revoked
/// family is refused: on first sight the store is asked, a revocation here counts at once, and a cached token's
/// family is asked about again once <see cref="OAuthServerOptions.RevocationCheckInterval"/> (30 s) has passed
/// since the last answer, so a revocation made on another replica is refused here within that bound (one small
/// query per family per interval, not per request). Results are cached until <c>exp</c> like OIDC tokens.
/// </summary>
public sealed class GatewayTokenAuthenticator : IRequestAuthenticator
{
    private static readonly IReadOnlySet<string> Es256 = new HashSet<string>(["ES256"], StringComparer.Ordinal);
    private const int MaxCheckedFamilies = 100_000;
    private readonly OAuthAuthority _authority;
    private readonly TimeProvider _time;
    private readonly CredentialCache _cache;
    private readonly ConcurrentDictionary<string, byte> _revoked = new(StringComparer.Ordinal);

    /// <summary>When the store last said each family was not revoked.</summary>
    private readonly ConcurrentDictionary<string, DateTimeOffset> _checked = new(StringComparer.Ordinal);

    internal GatewayTokenAuthenticator(OAuthAuthority authority, TimeProvider time)
    {
        _authority = authority;
        _time = time;
        _cache = new CredentialCache(time);
    }

    public async ValueTask<AuthenticationResult> AuthenticateAsync(AuthenticationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var token = request.Credential;
        if (token is null || !OidcBearerAuthenticator.LooksLikeJwt(token))
        {
            return AuthenticationResult.NotRecognised;
        }

        if (_cache.TryGet(token, out var cached))
        {
            if (cached.Principal is not { } known || Family(known) is not { } f)
            {
                return cached;
            }

            return await IsRevokedAsync(f, cancellationToken).ConfigureAwait(false) ? Revoked() : cached;
        }

        if (JwtValidator.ReadUnverified(token) is not { } unverified || !string.Equals(unverified.Issuer, _authority.Issuer, StringComparison.Ordinal))
        {
            return AuthenticationResult.NotRecognised;
        }

        // The gateway's own clock signed it: no skew on expiry.
        var expect = new JwtExpectations(_authority.Issuer, [_authority.Issuer], _time.GetUtcNow(), TimeSpan.FromSeconds(30)) { Algorithms = Es256, SkewExpiry = false };
        var validation = JwtValidator.Validate(token, expect, _authority.Signer.Keys);
        if (validation.Claims is not { } claims || claims.String("fam") is not { Length: > 0 } family || claims.String("jti") is not { Length: > 0 } jti)
        {
            var refusal = AuthenticationResult.Reject("gateway token refused: " + (validation.Claims is null ? validation.Message : "it lacks 'fam' or 'jti'"));
            _cache.Set(token, refusal, _time.GetUtcNow() + CredentialCache.RefusalLifetime);
            return refusal;
        }

        if (await IsRevokedAsync(family, cancellationToken).ConfigureAwait(false))
        {
            return Revoked();
        }

        var principal = new Principal(claims.Subject!, claims.String("name") ?? claims.Subject!, claims.Email, claims.Strings("groups"), AuthenticationMethod.GatewayToken, $"jti:{jti};fam:{family}", claims.String("cost_centre"));
        var success = AuthenticationResult.Success(principal);
        _cache.Set(token, success, claims.ExpiresAt!.Value);
        return success;
    }

    /// <summary>A signed access token for the principal, in the family of its refresh token.</summary>
    internal string Issue(Principal principal, string clientId, string scope, string family, DateTimeOffset now)
    {
        var issuer = _authority.Issuer;
        return _authority.Signer.Sign(w =>
        {
            w.WriteString("iss", issuer);
            w.WriteString("aud", issuer);
            w.WriteString("sub", principal.UserId);
            if (clientId.Length > 0)
            {
                // RFC 9068 §2.2 wants client_id; the unnamed client (Claude Code's device sign-in) has none to name.
                w.WriteString("client_id", clientId);
            }

            w.WriteString("scope", scope);
            w.WriteString("fam", family);
            w.WriteString("jti", Credentials.Oidc.Pkce.RandomToken(12));
            w.WriteNumber("iat", now.ToUnixTimeSeconds());
            w.WriteNumber("exp", (now + _authority.AccessTokenLifetime).ToUnixTimeSeconds());
            w.WriteString("name", principal.DisplayName);
            if (principal.Email is { } email)
            {
                w.WriteString("email", email);
            }

            if (principal.CostCentre is { } cc)
            {
                w.WriteString("cost_centre", cc);
            }

            w.WriteStartArray("groups");
            foreach (var g in principal.Groups)
            {
                w.WriteStringValue(g);
            }

            w.WriteEndArray();
        });
    }

    /// <summary>The family of a valid access token of this gateway (for revocation by access token), else null.</summary>
    internal string? FamilyOf(string token)
    {
        var expect = new JwtExpectations(_authority.Issuer, [_authority.Issuer], _time.GetUtcNow(), TimeSpan.FromSeconds(30)) { Algorithms = Es256, SkewExpiry = false };
        return JwtValidator.Validate(token, expect, _authority.Signer.Keys).Claims?.String("fam");
    }

    internal void Revoked(string family) => _revoked.TryAdd(family, 0);

    private async ValueTask<bool> IsRevokedAsync(string family, CancellationToken cancellationToken)
    {
        if (_revoked.ContainsKey(family))
        {
            return true;
        }

        var now = _time.GetUtcNow();
        if (_checked.TryGetValue(family, out var at) && now - at < _authority.RevocationCheckInterval)
        {
            return false;
        }

        if (await _authority.IsFamilyRevokedAsync(family, cancellationToken).ConfigureAwait(false))
        {
            _revoked.TryAdd(family, 0);
            _checked.TryRemove(family, out _);
            return true;
        }

        if (_checked.Count >= MaxCheckedFamilies)
        {
            // Families of tokens that expired long ago are never asked about again; starting over only costs
            // one query per live family.
            _checked.Clear();
        }

        _checked[family] = now;
        return false;
    }

    private static string? Family(Principal principal)
    {
        var at = principal.CredentialId.IndexOf(";fam:", StringComparison.Ordinal);
        return at < 0 ? null : principal.CredentialId[(at + 5)..];
    }

    private static AuthenticationResult Revoked() => AuthenticationResult.Reject("gateway token refused: its sign-in was revoked; sign in again");
}
