using System.Net;

namespace Basalt.Credentials.Oidc;

/// <summary>
/// Tokens, or the OAuth error the endpoint answered with (RFC 6749 §5.2: <c>invalid_grant</c>, ...; RFC 8628 §3.5:
/// <c>authorization_pending</c>, <c>slow_down</c>, <c>access_denied</c>, <c>expired_token</c>). A value, so each
/// caller decides what an error means for it (a refused refresh token means "sign in again", not "fail").
/// </summary>
internal sealed record OidcTokenResult(OidcTokenResponse? Tokens, string? Error, string? ErrorDescription, HttpStatusCode Status)
{
    public bool IsSuccess => Tokens is not null;

    /// <summary>The IdP's explanation, cut short: it is shown to users and logged.</summary>
    public string Describe()
    {
        var description = ErrorDescription is { Length: > 200 } d ? d[..200] + "…" : ErrorDescription;
        return description is null ? $"{Error ?? "error"} (HTTP {(int)Status})" : $"{Error ?? "error"}: {description} (HTTP {(int)Status})";
    }
}
