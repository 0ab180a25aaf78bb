using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Basalt.Emulator.Identity;
using Basalt.Emulator.Options;

namespace Basalt.Emulator.Sts.WebIdentity;

/// <summary>
/// Validates the OIDC ID token of AssumeRoleWithWebIdentity the way STS does: a well-formed JWS, an issuer the
/// account has a provider for and the role trusts, a signature by one of the issuer's JWKS keys (RS*/PS*/ES*),
/// an unexpired <c>exp</c>, an <c>aud</c> the trust lists and, when configured, an allowed <c>sub</c>.
/// Error codes and statuses follow the STS API reference (spec §4).
/// </summary>
internal sealed class WebIdentityValidator(IdentityStore identities, JwksSource jwks)
{
    private const string InvalidToken = "InvalidIdentityToken";
    private static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(5);

    public async Task<WebIdentityResult> ValidateAsync(string token, RoleRecord role, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var parts = token.Split('.');
        if (parts.Length != 3 || JsonWebKey.DecodeBase64Url(parts[0]) is not { } headerBytes || JsonWebKey.DecodeBase64Url(parts[1]) is not { } payloadBytes
            || JsonWebKey.DecodeBase64Url(parts[2]) is not { } signature)
        {
            return WebIdentityResult.Fail(InvalidToken, 400, "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)");
        }

        JsonDocument header;
        JsonDocument payload;
        try
        {
            header = JsonDocument.Parse(headerBytes);
            payload = JsonDocument.Parse(payloadBytes);
        }
        catch (JsonException)
        {
            return WebIdentityResult.Fail(InvalidToken, 400, "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)");
        }

        using (header)
        using (payload)
        {
            var claims = payload.RootElement;
            if (header.RootElement.ValueKind != JsonValueKind.Object || claims.ValueKind != JsonValueKind.Object)
            {
                return WebIdentityResult.Fail(InvalidToken, 400, "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)");
            }

            var alg = Text(header.RootElement, "alg");
            var kid = Text(header.RootElement, "kid");
            var issuer = Text(claims, "iss");
            if (issuer is null)
            {
                return WebIdentityResult.Fail(InvalidToken, 400, "Missing a required claim: iss");
            }

            var trusts = role.Options.WebIdentity.Where(t => SameIssuer(t.Issuer, issuer)).ToList();
            if (trusts.Count == 0)
            {
                // An IAM OIDC provider belongs to the account; a provider the account has but this role does not trust is a trust failure.
                var accountHasProvider = identities.Roles.Any(r => r.Account == role.Account && r.Options.WebIdentity.Any(t => SameIssuer(t.Issuer, issuer)));
                return accountHasProvider
                    ? WebIdentityResult.Fail("AccessDenied", 403, "Not authorized to perform sts:AssumeRoleWithWebIdentity")
                    : WebIdentityResult.Fail(InvalidToken, 400, $"No OpenIDConnect provider found in your account for {issuer}");
            }

            if (alg is null || !(alg.StartsWith("RS", StringComparison.Ordinal) || alg.StartsWith("PS", StringComparison.Ordinal) || alg.StartsWith("ES", StringComparison.Ordinal)))
            {
                return WebIdentityResult.Fail(InvalidToken, 400, $"The web identity token is signed with an unsupported algorithm: {alg ?? "none"}");
            }

            var signingInput = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
            WebIdentityTrust? verifiedBy = null;
            string? fetchProblem = null;
            foreach (var trust in trusts)
            {
                var (keys, problem) = await jwks.GetKeysAsync(trust, kid, cancellationToken);
                if (keys is null)
                {
                    fetchProblem = problem;
                    continue;
                }

                if (keys.Where(k => kid is null || k.Kid == kid).Any(k => k.Verify(alg, signingInput, signature)))
                {
                    verifiedBy = trust;
                    break;
                }
            }

            if (verifiedBy is null)
            {
                return fetchProblem is not null
                    ? WebIdentityResult.Fail("IDPCommunicationError", 400, "Couldn't retrieve verification key from your identity provider, please reference AssumeRoleWithWebIdentity documentation for requirements")
                    : WebIdentityResult.Fail(InvalidToken, 400, "The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request.");
            }

            if (!TryEpoch(claims, "exp", out var exp))
            {
                return WebIdentityResult.Fail(InvalidToken, 400, "Missing a required claim: exp");
            }

            if (now >= exp)
            {
                return WebIdentityResult.Fail("ExpiredTokenException", 400,
                    string.Create(CultureInfo.InvariantCulture, $"Token expired: current date/time {now.ToUnixTimeSeconds()} must be before the expiration date/time {exp.ToUnixTimeSeconds()}"));
            }

            if (TryEpoch(claims, "nbf", out var nbf) && nbf - AllowedSkew > now)
            {
                return WebIdentityResult.Fail(InvalidToken, 400, "The web identity token is not valid yet (nbf).");
            }

            var audiences = Audiences(claims);
            var audience = audiences.FirstOrDefault(a => verifiedBy.Audiences.Contains(a, StringComparer.Ordinal));
            if (audience is null)
            {
                return WebIdentityResult.Fail(InvalidToken, 400, "Incorrect token audience");
            }

            var subject = Text(claims, "sub");
            if (verifiedBy.Subjects.Count > 0 && (subject is null || !verifiedBy.Subjects.Any(p => Matches(p, subject))))
            {
                return WebIdentityResult.Fail("AccessDenied", 403, "Not authorized to perform sts:AssumeRoleWithWebIdentity");
            }

            return new WebIdentityResult { Subject = subject, Audience = audience, Issuer = issuer, Trust = verifiedBy };
        }
    }

    private static bool SameIssuer(string configured, string claimed)
        => string.Equals(configured.TrimEnd('/'), claimed.TrimEnd('/'), StringComparison.Ordinal);

    private static List<string> Audiences(JsonElement claims)
    {
        if (!claims.TryGetProperty("aud", out var aud))
        {
            return [];
        }

        return aud.ValueKind switch
        {
            JsonValueKind.String => [aud.GetString()!],
            JsonValueKind.Array => [.. aud.EnumerateArray().Where(a => a.ValueKind == JsonValueKind.String).Select(a => a.GetString()!)],
            _ => [],
        };
    }

    private static bool TryEpoch(JsonElement claims, string name, out DateTimeOffset value)
    {
        value = default;
        if (!claims.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out var seconds) || seconds < 0 || seconds > 253402300799)
        {
            return false;
        }

        value = DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
        return true;
    }

    private static string? Text(JsonElement e, string name)
        => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>IAM condition wildcards: <c>*</c> any run, <c>?</c> one character (StringLike).</summary>
    private static bool Matches(string pattern, string value)
        => Regex.IsMatch(value, "^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
}
