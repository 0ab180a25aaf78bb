using Basalt.Identity.Groups;
using Basalt.Identity.Jwt;

namespace Basalt.Identity.Oidc;

/// <summary>
/// One external IdP whose bearer tokens the gateway accepts (cowork3p-reference §6.3, External-IdP SSO). Several
/// may be configured at once; a token is checked only against the issuer named in its <c>iss</c>.
/// </summary>
public sealed record OidcIssuerOptions
{
    /// <summary>The issuer URL exactly as in <c>iss</c> (no <c>/.well-known/...</c>).</summary>
    public required string Issuer { get; init; }

    /// <summary>
    /// Accepted <c>aud</c> values: the client id for ID tokens (Claude Desktop's default <c>bearerTokenType:
    /// id_token</c>), the API audience/resource for access tokens (<c>bearerTokenType: access_token</c>).
    /// </summary>
    public required IReadOnlyList<string> Audiences { get; init; }

    /// <summary>The client id ID tokens must be issued to when they carry several audiences (<c>azp</c>).</summary>
    public string? ClientId { get; init; }

    /// <summary>JWKS location; when null it is discovered from <c>{Issuer}/.well-known/openid-configuration</c>.</summary>
    public Uri? JwksUri { get; init; }

    public IReadOnlySet<string> Algorithms { get; init; } = JwtAlgorithms.Default;

    public TimeSpan ClockSkew { get; init; } = JwtExpectations.DefaultClockSkew;

    public GroupMapping Groups { get; init; } = GroupMapping.None;

    /// <summary>Claim with the user's cost centre, carried into the principal (and AWS session tags, usage).</summary>
    public string? CostCentreClaim { get; init; }
}
