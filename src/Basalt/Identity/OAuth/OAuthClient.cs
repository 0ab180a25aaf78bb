using System.Net;

namespace Basalt.Identity.OAuth;

/// <summary>
/// A client allowed the authorization code grant (a public client: PKCE, no secret; RFC 8252 native apps).
/// </summary>
/// <param name="Id">The <c>client_id</c>.</param>
/// <param name="RedirectUris">Registered redirect URIs; compared exactly (RFC 9700 §2.1), except that a loopback
/// IP redirect matches on any port (RFC 8252 §7.3: a native app binds an ephemeral port).</param>
public sealed record OAuthClient(string Id, IReadOnlyList<Uri> RedirectUris)
{
    public bool Allows(string redirectUri)
    {
        if (!Uri.TryCreate(redirectUri, UriKind.Absolute, out var uri) || uri.Fragment.Length > 0)
        {
            return false;
        }

        foreach (var registered in RedirectUris)
        {
            if (string.Equals(registered.OriginalString, redirectUri, StringComparison.Ordinal))
            {
                return true;
            }

            if (registered.Scheme == Uri.UriSchemeHttp && uri.Scheme == Uri.UriSchemeHttp && IPAddress.TryParse(registered.Host, out var ip) && IPAddress.IsLoopback(ip)
                && string.Equals(registered.Host, uri.Host, StringComparison.Ordinal)
                && string.Equals(registered.PathAndQuery, uri.PathAndQuery, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
