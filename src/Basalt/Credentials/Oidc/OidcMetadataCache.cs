using System.Collections.Concurrent;

namespace Basalt.Credentials.Oidc;

/// <summary>
/// Discovery documents and JWKS per issuer, kept for an hour so a long-running host (CLI, gateway) does not fetch
/// them for every sign-in or refresh. A token signed with an unknown key triggers one early JWKS refetch (key
/// rotation), at most every <see cref="MinimumKeyRefetchInterval"/>, so forged tokens cannot make Basalt hammer the IdP.
/// </summary>
internal sealed class OidcMetadataCache(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    public static readonly TimeSpan MinimumKeyRefetchInterval = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, (OidcDiscoveryDocument Document, DateTimeOffset FetchedAt)> _documents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Uri, (JsonWebKeySet Keys, DateTimeOffset FetchedAt)> _keys = new();

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

    public async Task<JsonWebKeySet> GetKeysAsync(OidcHttp http, OidcDiscoveryDocument document, bool refresh, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_keys.TryGetValue(document.JwksUri, out var cached)
            && (refresh ? now - cached.FetchedAt < MinimumKeyRefetchInterval : now - cached.FetchedAt < Lifetime))
        {
            return cached.Keys;
        }

        using var json = await http.GetJsonAsync(document.JwksUri, "Fetching the identity provider's signing keys (JWKS)", cancellationToken).ConfigureAwait(false);
        var keys = JsonWebKeySet.Parse(json.RootElement);
        _keys[document.JwksUri] = (keys, now);
        return keys;
    }
}
