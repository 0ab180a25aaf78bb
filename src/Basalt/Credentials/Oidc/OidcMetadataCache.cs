using System.Collections.Concurrent;
using Basalt.Identity.Jwt;

namespace Basalt.Credentials.Oidc;

/// <summary>
/// Discovery documents and JWKS per issuer, kept for an hour so a long-running host (CLI, gateway) does not fetch
/// them for every sign-in or refresh. A token signed with an unknown key triggers one early JWKS refetch (key
/// rotation), at most every <see cref="SigningKeyCache.MinimumRefetchInterval"/>, so forged tokens cannot make Basalt hammer the IdP.
/// </summary>
internal sealed class OidcMetadataCache(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, (OidcDiscoveryDocument Document, DateTimeOffset FetchedAt)> _documents = new(StringComparer.Ordinal);
    private readonly SigningKeyCache _keys = new(time);

    /// <summary>The process-wide cache used when a source is not given its own.</summary>
    public static OidcMetadataCache Shared { get; } = new(TimeProvider.System);

    public async Task<OidcDiscoveryDocument> GetDiscoveryAsync(OidcHttp http, string issuer, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_documents.TryGetValue(issuer, out var cached) && now - cached.FetchedAt < Lifetime)
        {
            return cached.Document;
        }

        if (issuer.Contains("/.well-known", StringComparison.OrdinalIgnoreCase))
        {
            throw new CredentialException($"The oidc issuer '{issuer}' is a metadata URL. Set issuer to '{issuer[..issuer.IndexOf("/.well-known", StringComparison.OrdinalIgnoreCase)]}'; Basalt appends /.well-known/openid-configuration itself.");
        }

        // Discovery §4: the configuration lives at the issuer + "/.well-known/openid-configuration" (after removing a trailing slash).
        var uri = new Uri(issuer.TrimEnd('/') + "/.well-known/openid-configuration");
        using var json = await http.GetJsonAsync(uri, "OIDC discovery", cancellationToken).ConfigureAwait(false);
        var document = OidcDiscoveryDocument.Parse(json.RootElement, issuer, uri);
        _documents[issuer] = (document, now);
        return document;
    }

    /// <summary>The issuer's keys, through the one <see cref="SigningKeyCache"/> (rotation: a refresh at most every 30 s).</summary>
    public ValueTask<SigningKeySet> GetKeysAsync(OidcHttp http, OidcDiscoveryDocument document, bool refresh, CancellationToken cancellationToken)
        => _keys.GetAsync(document.JwksUri.AbsoluteUri, async ct =>
        {
            using var json = await http.GetJsonAsync(document.JwksUri, "Fetching the identity provider's signing keys (JWKS)", ct).ConfigureAwait(false);
            try
            {
                return SigningKeySet.Parse(json.RootElement);
            }
            catch (FormatException e)
            {
                throw new CredentialException($"The identity provider's signing keys at {document.JwksUri} are not usable: {e.Message}.");
            }
        }, refresh, cancellationToken);
}
