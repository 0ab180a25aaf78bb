using System.Text.Json;

namespace Basalt.Identity.Jwt;

/// <summary>
/// Finds an issuer's JWKS the way STS and resource servers do: <c>{issuer}/.well-known/openid-configuration</c>
/// (OIDC Discovery §4) → <c>jwks_uri</c>. Only <c>issuer</c> and <c>jwks_uri</c> are needed here, so issuers that
/// publish nothing else (CI token issuers) work too. Failures are <see cref="HttpRequestException"/>,
/// <see cref="FormatException"/> or <see cref="TaskCanceledException"/> naming the URL, never a token.
/// </summary>
public static class OidcKeyDiscovery
{
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    public static Uri DiscoveryUri(string issuer) => new(issuer.TrimEnd('/') + "/.well-known/openid-configuration");

    /// <summary>The issuer's signing keys, via discovery.</summary>
    public static async Task<SigningKeySet> FetchAsync(HttpClient http, string issuer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RequestTimeout);
        var discovery = DiscoveryUri(issuer);
        Uri jwksUri;
        using (var config = JsonDocument.Parse(await http.GetByteArrayAsync(discovery, timeout.Token).ConfigureAwait(false)))
        {
            var root = config.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("jwks_uri", out var value) || value.ValueKind != JsonValueKind.String
                || !Uri.TryCreate(value.GetString(), UriKind.Absolute, out jwksUri!))
            {
                throw new FormatException($"{discovery} has no absolute 'jwks_uri'");
            }

            // Discovery §4.3: the document must belong to the issuer it was fetched for.
            if (root.TryGetProperty("issuer", out var claimed) && claimed.ValueKind == JsonValueKind.String
                && !string.Equals(claimed.GetString()?.TrimEnd('/'), issuer.TrimEnd('/'), StringComparison.Ordinal))
            {
                throw new FormatException($"{discovery} belongs to issuer '{claimed.GetString()}', not '{issuer}'");
            }
        }

        return await FetchKeysAsync(http, jwksUri, timeout.Token).ConfigureAwait(false);
    }

    /// <summary>A JWKS document at a known URL.</summary>
    public static async Task<SigningKeySet> FetchKeysAsync(HttpClient http, Uri jwksUri, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var bytes = await http.GetByteArrayAsync(jwksUri, cancellationToken).ConfigureAwait(false);
        try
        {
            using var document = JsonDocument.Parse(bytes);
            return SigningKeySet.Parse(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{jwksUri} is not a JWKS document: {e.Message}", e);
        }
    }
}
