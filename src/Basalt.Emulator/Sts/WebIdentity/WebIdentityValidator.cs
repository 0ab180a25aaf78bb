using System.Globalization;
using System.Text.RegularExpressions;
using Basalt.Emulator.Identity;
using Basalt.Emulator.Options;
using Basalt.Identity.Jwt;

namespace Basalt.Emulator.Sts.WebIdentity;

/// <summary>
/// Validates the OIDC ID token of AssumeRoleWithWebIdentity the way STS does, with the library's one JWT
/// validator (<see cref="JwtValidator"/>): a well-formed JWS, an issuer the account has a provider for and the
/// role trusts, a signature by one of the issuer's JWKS keys (RS*/PS*/ES*), an unexpired <c>exp</c> (no skew), an
/// <c>aud</c> the trust lists and, when configured, an allowed <c>sub</c>. Keys come from the trust's JWKS file or
/// from discovery, through the rotation-aware <see cref="SigningKeyCache"/>. Error codes and statuses follow the
/// STS API reference (spec §4).
/// </summary>
internal sealed class WebIdentityValidator(IdentityStore identities, HttpClient jwksHttp, SigningKeyCache keyCache)
{
    private const string InvalidToken = "InvalidIdentityToken";
    private const string NotAJwt = "The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)";
    private static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(5);

    public async Task<WebIdentityResult> ValidateAsync(string token, RoleRecord role, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Unverified only to pick the trusts for its issuer; everything is verified below.
        if (JwtValidator.ReadUnverified(token) is not { } unverified)
        {
            return WebIdentityResult.Fail(InvalidToken, 400, NotAJwt);
        }

        var issuer = unverified.Issuer;
        if (issuer.Length == 0)
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

        JwtValidation? failed = null;
        string? fetchProblem = null;
        foreach (var trust in trusts)
        {
            var expect = new JwtExpectations(issuer, trust.Audiences, now, AllowedSkew)
            {
                Algorithms = JwtAlgorithms.AllAsymmetric,
                SkewExpiry = false,
                CheckIssuedAt = false,
            };
            JwtValidation validation;
            try
            {
                validation = await JwtValidator.ValidateAsync(token, expect, (refresh, ct) => KeysAsync(trust, refresh, ct), cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or FormatException or UnauthorizedAccessException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                fetchProblem = e.Message;
                continue;
            }

            if (validation.Claims is { } claims)
            {
                var subject = claims.Subject;
                if (trust.Subjects.Count > 0 && (subject is null || !trust.Subjects.Any(p => Matches(p, subject))))
                {
                    return WebIdentityResult.Fail("AccessDenied", 403, "Not authorized to perform sts:AssumeRoleWithWebIdentity");
                }

                var audience = claims.Audiences.First(a => trust.Audiences.Contains(a, StringComparer.Ordinal));
                return new WebIdentityResult { Subject = subject, Audience = audience, Issuer = issuer, Trust = trust };
            }

            // Prefer the most specific refusal: a trust whose keys verified the token says more than one whose did not.
            if (failed is null || (failed.KeysMayBeStale && !validation.KeysMayBeStale))
            {
                failed = validation;
            }
        }

        return failed is null || (failed.KeysMayBeStale && fetchProblem is not null)
            ? WebIdentityResult.Fail("IDPCommunicationError", 400, "Couldn't retrieve verification key from your identity provider, please reference AssumeRoleWithWebIdentity documentation for requirements")
            : Refusal(failed, unverified, now);
    }

    private static WebIdentityResult Refusal(JwtValidation failed, JwtClaims claims, DateTimeOffset now) => failed.Failure switch
    {
        JwtFailure.Malformed => WebIdentityResult.Fail(InvalidToken, 400, NotAJwt),
        JwtFailure.UnsupportedAlgorithm => WebIdentityResult.Fail(InvalidToken, 400, "The web identity token is signed with an unsupported algorithm"),
        JwtFailure.Expired => WebIdentityResult.Fail("ExpiredTokenException", 400,
            string.Create(CultureInfo.InvariantCulture, $"Token expired: current date/time {now.ToUnixTimeSeconds()} must be before the expiration date/time {claims.ExpiresAt!.Value.ToUnixTimeSeconds()}")),
        JwtFailure.MissingClaim => WebIdentityResult.Fail(InvalidToken, 400, "Missing a required claim: " + (claims.ExpiresAt is null ? "exp" : "sub")),
        JwtFailure.NotYetValid => WebIdentityResult.Fail(InvalidToken, 400, "The web identity token is not valid yet (nbf)."),
        JwtFailure.WrongAudience => WebIdentityResult.Fail(InvalidToken, 400, "Incorrect token audience"),
        _ => WebIdentityResult.Fail(InvalidToken, 400, "The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request."),
    };

    private ValueTask<SigningKeySet> KeysAsync(WebIdentityTrust trust, bool refresh, CancellationToken cancellationToken)
        => trust.JwksFile is { } file
            ? keyCache.GetAsync("file:" + file, async ct => SigningKeySet.Parse(await File.ReadAllTextAsync(file, ct)), refresh, cancellationToken)
            : keyCache.GetAsync(trust.Issuer, ct => OidcKeyDiscovery.FetchAsync(jwksHttp, trust.Issuer, ct), refresh, cancellationToken);

    private static bool SameIssuer(string configured, string claimed)
        => string.Equals(configured.TrimEnd('/'), claimed.TrimEnd('/'), StringComparison.Ordinal);

    /// <summary>IAM condition wildcards: <c>*</c> any run, <c>?</c> one character (StringLike).</summary>
    private static bool Matches(string pattern, string value)
        => Regex.IsMatch(value, "^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
}
