namespace Basalt.Identity.Jwt;

/// <summary>
/// What a JWT must say to be accepted.
/// </summary>
/// <param name="Issuer">The exact <c>iss</c> (a trailing slash is tolerated, as Auth0 and STS do).</param>
/// <param name="Audiences">Accepted <c>aud</c> values: an ID token's is the client id (OIDC Core §2), an access
/// token's the configured audience or resource (RFC 9068 §4).</param>
/// <param name="Now">The verifier's clock.</param>
/// <param name="ClockSkew">How far <c>exp</c>, <c>nbf</c> and <c>iat</c> may be off.</param>
public sealed record JwtExpectations(string Issuer, IReadOnlyList<string> Audiences, DateTimeOffset Now, TimeSpan ClockSkew)
{
    /// <summary>A clock a little off must not break sign-in; more than this is a real problem worth reporting.</summary>
    public static readonly TimeSpan DefaultClockSkew = TimeSpan.FromMinutes(2);

    /// <summary>The client an ID token must have been issued to when it has several audiences (<c>azp</c>, OIDC Core §3.1.3.7 (4)-(5)).</summary>
    public string? AuthorizedParty { get; init; }

    /// <summary>The sign-in's nonce; null where none applies (refresh grant, bearer tokens at a resource server).</summary>
    public string? Nonce { get; init; }

    public IReadOnlySet<string> Algorithms { get; init; } = JwtAlgorithms.Default;

    /// <summary>When false, <c>exp</c> is checked without <see cref="ClockSkew"/> (STS refuses a token the second it expires).</summary>
    public bool SkewExpiry { get; init; } = true;

    /// <summary>Whether <c>iat</c> in the future (beyond the skew) is refused, as for ID tokens.</summary>
    public bool CheckIssuedAt { get; init; } = true;
}
