using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Basalt.Credentials.Oidc;

/// <summary>
/// Verifies an ID token (a JWS compact JWT) as OpenID Connect Core §3.1.3.7 requires of a client: signature with
/// the IdP's JWKS (RS256 or ES256 only; <c>none</c> and HMAC are refused), <c>iss</c>, <c>aud</c> (and <c>azp</c>
/// when there are several audiences), <c>exp</c>, <c>nbf</c>, <c>iat</c> with a small clock skew, and <c>nonce</c>.
/// The token reaches STS afterwards, which checks it again; this check is what lets Basalt say precisely what is
/// wrong, and refuse to store tokens it would not itself trust.
/// </summary>
internal static class IdTokenValidator
{
    public static IdTokenValidation Validate(string token, IdTokenExpectations expect, JsonWebKeySet keys)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(expect);
        ArgumentNullException.ThrowIfNull(keys);

        var firstDot = token.IndexOf('.', StringComparison.Ordinal);
        var lastDot = token.LastIndexOf('.');
        if (firstDot <= 0 || lastDot == firstDot || token.IndexOf('.', firstDot + 1) != lastDot)
        {
            return Invalid(IdTokenFailure.Malformed, "the ID token is not a signed JWT (expected three dot-separated parts)");
        }

        JsonDocument header;
        JsonDocument payload;
        byte[] signature;
        try
        {
            header = JsonDocument.Parse(Base64Url.DecodeFromChars(token.AsSpan(0, firstDot)));
            payload = JsonDocument.Parse(Base64Url.DecodeFromChars(token.AsSpan(firstDot + 1, lastDot - firstDot - 1)));
            signature = Base64Url.DecodeFromChars(token.AsSpan(lastDot + 1));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return Invalid(IdTokenFailure.Malformed, "the ID token is not valid base64url JSON");
        }

        using (header)
        using (payload)
        {
            var alg = String(header.RootElement, "alg");
            if (alg is not ("RS256" or "ES256"))
            {
                return Invalid(IdTokenFailure.UnsupportedAlgorithm, $"the ID token is signed with '{alg ?? "nothing"}'; Basalt accepts RS256 and ES256 (set the application's ID token signing algorithm to one of them)");
            }

            if (header.RootElement.TryGetProperty("crit", out _))
            {
                return Invalid(IdTokenFailure.UnsupportedAlgorithm, "the ID token has critical header extensions Basalt does not understand");
            }

            var kid = String(header.RootElement, "kid");
            var candidates = keys.Candidates(alg, kid).ToList();
            if (candidates.Count == 0)
            {
                return Invalid(IdTokenFailure.UnknownKey, $"the ID token was signed with a key ({alg}{(kid is null ? string.Empty : $", kid '{kid}'")}) that is not in the identity provider's JWKS");
            }

            var signingInput = Encoding.ASCII.GetBytes(token, 0, lastDot);
            if (!candidates.Any(k => k.Verify(alg, signingInput, signature)))
            {
                return Invalid(IdTokenFailure.BadSignature, "the ID token's signature does not verify with the identity provider's keys (it was altered, or did not come from this identity provider)");
            }

            return CheckClaims(token, payload.RootElement, expect);
        }
    }

    private static IdTokenValidation CheckClaims(string token, JsonElement claims, IdTokenExpectations expect)
    {
        if (claims.ValueKind != JsonValueKind.Object)
        {
            return Invalid(IdTokenFailure.Malformed, "the ID token's payload is not a JSON object");
        }

        var iss = String(claims, "iss");
        if (!string.Equals(iss, expect.Issuer, StringComparison.Ordinal))
        {
            return Invalid(IdTokenFailure.WrongIssuer, $"the ID token was issued by '{iss ?? "nobody"}', not by '{expect.Issuer}'");
        }

        List<string> audiences = [];
        if (claims.TryGetProperty("aud", out var aud))
        {
            if (aud.ValueKind == JsonValueKind.String)
            {
                audiences.Add(aud.GetString()!);
            }
            else if (aud.ValueKind == JsonValueKind.Array)
            {
                audiences.AddRange(aud.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()!));
            }
        }

        if (!audiences.Contains(expect.Audience, StringComparer.Ordinal))
        {
            return Invalid(IdTokenFailure.WrongAudience, $"the ID token is meant for audience '{string.Join("', '", audiences)}', not '{expect.Audience}' (check clientId and audience in the oidc settings)");
        }

        // Core §3.1.3.7 (4)-(5): with several audiences, azp names the party the token was issued to.
        var azp = String(claims, "azp");
        if (audiences.Count > 1 && azp is not null && !string.Equals(azp, expect.ClientId, StringComparison.Ordinal))
        {
            return Invalid(IdTokenFailure.WrongAudience, $"the ID token was issued to '{azp}', not to client '{expect.ClientId}'");
        }

        var sub = String(claims, "sub");
        if (string.IsNullOrEmpty(sub))
        {
            return Invalid(IdTokenFailure.MissingClaim, "the ID token has no 'sub' claim");
        }

        if (Time(claims, "exp") is not { } exp)
        {
            return Invalid(IdTokenFailure.MissingClaim, "the ID token has no 'exp' claim");
        }

        if (exp + expect.ClockSkew <= expect.Now)
        {
            return Invalid(IdTokenFailure.Expired, $"the ID token expired at {exp:u}; this computer's clock says {expect.Now:u} (check the system clock if that is wrong)");
        }

        var nbf = Time(claims, "nbf");
        var iat = Time(claims, "iat");
        if ((nbf is { } n && n - expect.ClockSkew > expect.Now) || (iat is { } i && i - expect.ClockSkew > expect.Now))
        {
            return Invalid(IdTokenFailure.NotYetValid, $"the ID token is not valid until {(nbf ?? iat):u} but this computer's clock says {expect.Now:u}; set the system clock to the correct time (automatic time sync)");
        }

        var nonce = String(claims, "nonce");
        if (expect.Nonce is not null && !string.Equals(nonce, expect.Nonce, StringComparison.Ordinal))
        {
            return Invalid(IdTokenFailure.NonceMismatch, "the ID token's nonce does not match this sign-in (a replayed or mixed-up response); sign in again");
        }

        return IdTokenValidation.Valid(new IdTokenClaims
        {
            RawToken = token,
            Issuer = iss!,
            Subject = sub,
            Audiences = audiences,
            ExpiresAt = exp,
            IssuedAt = iat,
            Email = String(claims, "email"),
            Nonce = nonce,
        });
    }

    private static IdTokenValidation Invalid(IdTokenFailure failure, string message) => IdTokenValidation.Invalid(failure, message);

    private static string? String(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTimeOffset? Time(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var seconds)
            || seconds < 0 || seconds > 253402300799)
        {
            return null;
        }

        return DateTimeOffset.FromUnixTimeSeconds((long)seconds);
    }
}
