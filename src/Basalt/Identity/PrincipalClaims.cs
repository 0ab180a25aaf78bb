using Basalt.Identity.Groups;
using Basalt.Identity.Jwt;

namespace Basalt.Identity;

/// <summary>Turns verified token claims into the one <see cref="Principal"/> (issue 9 item 1).</summary>
public static class PrincipalClaims
{
    /// <summary>
    /// User id: <c>oid</c> (Entra's immutable object id) when present, else <c>sub</c>; never the email, which
    /// changes and is reassigned (cowork3p-reference §6.3). Display name: <c>name</c>, <c>preferred_username</c>,
    /// email, then the id.
    /// </summary>
    public static Principal ToPrincipal(JwtClaims claims, GroupMapping groups, AuthenticationMethod method, string credentialId, string? costCentreClaim = null)
    {
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(groups);
        var userId = claims.String("oid") is { Length: > 0 } oid ? oid : claims.Subject!;
        var email = claims.Email;
        var display = claims.String("name") ?? claims.String("preferred_username") ?? email ?? userId;
        var costCentre = costCentreClaim is null ? null : claims.String(costCentreClaim);
        return new Principal(userId, display, email, groups.Resolve(userId, claims.Strings), method, credentialId, costCentre);
    }
}
