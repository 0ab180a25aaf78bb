using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Basalt.Identity.Jwt;

/// <summary>
/// The one JWT validator (issue 13 item 2): the credential helper's ID tokens, the emulator's STS web identity
/// tokens and the gateway's OIDC bearer tokens all go through here. The JWS itself (RFC 7515 compact form,
/// RFC 7518 signatures) is parsed and verified with Microsoft.IdentityModel (JsonWebTokens, Tokens); the algorithm allow-list, key
/// selection and the claim checks (RFC 7519 §4.1, OIDC Core §3.1.3.7) are done here so every refusal says
/// precisely what is wrong, and so <c>exp</c> can follow STS's no-skew rule where the emulator needs it.
/// Never throws for bad input, and no message quotes the token.
/// </summary>
public static class JwtValidator
{
    /// <summary>
    /// Larger tokens are refused before any parsing. An Entra ID token with its 200-group cap is about 11 KB;
    /// beyond that Entra sends a group overage claim instead, so 16 KiB leaves room without inviting abuse.
    /// </summary>
    public const int MaxTokenLength = 16 * 1024;

    /// <summary>Validates <paramref name="token"/> against <paramref name="keys"/> and <paramref name="expect"/>.</summary>
    public static JwtValidation Validate(string token, JwtExpectations expect, SigningKeySet keys)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(expect);
        ArgumentNullException.ThrowIfNull(keys);

        if (token.Length > MaxTokenLength)
        {
            return Invalid(JwtFailure.Malformed, $"the token is {token.Length} characters long; at most {MaxTokenLength} are accepted");
        }

        if (!TryParse(token, out var jwt, out var payload))
        {
            return Invalid(JwtFailure.Malformed, "the token is not a signed JWT (expected three dot-separated base64url JSON parts)");
        }

        var alg = jwt.Alg;
        if (string.IsNullOrEmpty(alg) || !expect.Algorithms.Contains(alg))
        {
            return Invalid(JwtFailure.UnsupportedAlgorithm, $"the token is signed with '{(string.IsNullOrEmpty(alg) ? "nothing" : alg)}'; accepted are {string.Join(", ", expect.Algorithms)} (set the application's token signing algorithm to one of them)");
        }

        // RFC 7515 §4.1.11: a recipient must refuse critical header extensions it does not understand (it understands none).
        if (jwt.TryGetHeaderValue<object>("crit", out _))
        {
            return Invalid(JwtFailure.UnsupportedAlgorithm, "the token has critical header extensions ('crit') that are not understood");
        }

        var kid = string.IsNullOrEmpty(jwt.Kid) ? null : jwt.Kid;
        var candidates = keys.Candidates(alg, kid);
        if (candidates.Count == 0)
        {
            return Invalid(JwtFailure.UnknownKey, $"the token was signed with a key ({alg}{(kid is null ? string.Empty : $", kid '{kid}'")}) that is not in the issuer's JWKS");
        }

        if (!VerifySignature(token, alg, candidates))
        {
            return Invalid(JwtFailure.BadSignature, "the token's signature does not verify with the issuer's keys (it was altered, or did not come from this issuer)");
        }

        return CheckClaims(new JwtClaims(token, payload), expect);
    }

    /// <summary>
    /// Validates with the issuer's keys from <paramref name="keys"/>; when the token names a key the set lacks (or
    /// its signature fails), asks once for a fresh set (the issuer rotated its keys) and validates again. The key
    /// source decides how often a refresh really fetches (<see cref="SigningKeyCache"/>).
    /// </summary>
    public static async ValueTask<JwtValidation> ValidateAsync(string token, JwtExpectations expect, Func<bool, CancellationToken, ValueTask<SigningKeySet>> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var current = await keys(false, cancellationToken).ConfigureAwait(false);
        var validation = Validate(token, expect, current);
        if (!validation.KeysMayBeStale)
        {
            return validation;
        }

        var refreshed = await keys(true, cancellationToken).ConfigureAwait(false);
        return ReferenceEquals(refreshed, current) ? validation : Validate(token, expect, refreshed);
    }

    /// <summary>
    /// The claims of a well-formed JWS <b>without verifying anything</b>: only for choosing which issuer's rules
    /// to validate it with (multi-issuer hosts, STS trusts). Null when the token is not a JWS at all.
    /// </summary>
    public static JwtClaims? ReadUnverified(string token)
        => token.Length <= MaxTokenLength && TryParse(token, out _, out var payload) ? new JwtClaims(token, payload) : null;

    /// <summary>
    /// The JWS signature over <c>header.payload</c> (RFC 7515 §5.2) with IdentityModel's crypto providers, which
    /// check the algorithm against the key type (an RSA key never verifies an HMAC) and cache per key and algorithm.
    /// </summary>
    private static bool VerifySignature(string token, string alg, List<SecurityKey> candidates)
    {
        var lastDot = token.LastIndexOf('.');
        byte[] signature;
        try
        {
            signature = Base64Url.DecodeFromChars(token.AsSpan(lastDot + 1));
        }
        catch (FormatException)
        {
            return false;
        }

        var signingInput = Encoding.ASCII.GetBytes(token, 0, lastDot);
        var factory = CryptoProviderFactory.Default;
        foreach (var key in candidates)
        {
            if (!factory.IsSupportedAlgorithm(alg, key))
            {
                continue;
            }

            SignatureProvider? provider = null;
            try
            {
                provider = factory.CreateForVerifying(key, alg);
                if (provider.Verify(signingInput, signature))
                {
                    return true;
                }
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or InvalidOperationException or System.Security.Cryptography.CryptographicException)
            {
                // A key IdentityModel cannot use (too small, odd parameters) simply does not verify.
            }
            finally
            {
                if (provider is not null)
                {
                    factory.ReleaseSignatureProvider(provider);
                }
            }
        }

        return false;
    }

    private static bool TryParse(string token, out JsonWebToken jwt, out JsonElement payload)
    {
        jwt = null!;
        payload = default;

        // Exactly the JWS compact serialization (RFC 7515 §7.1); five parts would be a JWE, which is not accepted.
        var firstDot = token.IndexOf('.', StringComparison.Ordinal);
        var lastDot = token.LastIndexOf('.');
        if (firstDot <= 0 || lastDot == firstDot || token.IndexOf('.', firstDot + 1) != lastDot)
        {
            return false;
        }

        try
        {
            jwt = new JsonWebToken(token);
            using var document = JsonDocument.Parse(Base64Url.DecodeFromChars(token.AsSpan(firstDot + 1, lastDot - firstDot - 1)));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            payload = document.RootElement.Clone();
            return true;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or JsonException)
        {
            return false;
        }
    }

    private static JwtValidation CheckClaims(JwtClaims claims, JwtExpectations expect)
    {
        if (!string.Equals(claims.Issuer.TrimEnd('/'), expect.Issuer.TrimEnd('/'), StringComparison.Ordinal) || claims.Issuer.Length == 0)
        {
            return Invalid(JwtFailure.WrongIssuer, $"the token was issued by '{(claims.Issuer.Length == 0 ? "nobody" : claims.Issuer)}', not by '{expect.Issuer}'");
        }

        if (!claims.Audiences.Any(a => expect.Audiences.Contains(a, StringComparer.Ordinal)))
        {
            return Invalid(JwtFailure.WrongAudience, $"the token is meant for audience '{string.Join("', '", claims.Audiences)}', not '{string.Join("' or '", expect.Audiences)}' (check the client id or audience configured for this issuer)");
        }

        // OIDC Core §3.1.3.7 (4)-(5): with several audiences, azp names the party the token was issued to.
        var azp = claims.String("azp");
        if (expect.AuthorizedParty is { } client && claims.Audiences.Count > 1 && azp is not null && !string.Equals(azp, client, StringComparison.Ordinal))
        {
            return Invalid(JwtFailure.WrongAudience, $"the token was issued to '{azp}', not to client '{client}'");
        }

        if (string.IsNullOrEmpty(claims.Subject))
        {
            return Invalid(JwtFailure.MissingClaim, "the token has no 'sub' claim");
        }

        if (claims.ExpiresAt is not { } exp)
        {
            return Invalid(JwtFailure.MissingClaim, "the token has no 'exp' claim");
        }

        if ((expect.SkewExpiry ? exp + expect.ClockSkew : exp) <= expect.Now)
        {
            return Invalid(JwtFailure.Expired, $"the token expired at {exp:u}; the clock here says {expect.Now:u} (check the system clock if that is wrong)");
        }

        var iat = expect.CheckIssuedAt ? claims.IssuedAt : null;
        if ((claims.NotBefore is { } n && n - expect.ClockSkew > expect.Now) || (iat is { } i && i - expect.ClockSkew > expect.Now))
        {
            return Invalid(JwtFailure.NotYetValid, $"the token is not valid until {(claims.NotBefore ?? iat):u} but the clock here says {expect.Now:u}; set the system clock to the correct time (automatic time sync)");
        }

        if (expect.Nonce is not null && !string.Equals(claims.Nonce, expect.Nonce, StringComparison.Ordinal))
        {
            return Invalid(JwtFailure.NonceMismatch, "the token's nonce does not match this sign-in (a replayed or mixed-up response); sign in again");
        }

        return JwtValidation.Valid(claims);
    }

    private static JwtValidation Invalid(JwtFailure failure, string message) => JwtValidation.Invalid(failure, message);
}
