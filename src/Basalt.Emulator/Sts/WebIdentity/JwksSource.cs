using System.Collections.Concurrent;
using System.Text.Json;
using Basalt.Emulator.Options;

namespace Basalt.Emulator.Sts.WebIdentity;

/// <summary>
/// Finds an issuer's signing keys: from a configured JWKS file, or like STS does, from
/// <c>{issuer}/.well-known/openid-configuration</c> → <c>jwks_uri</c>. Fetched sets are cached per issuer and
/// re-fetched when a token names a key id the cache does not hold (key rotation).
/// </summary>
internal sealed class JwksSource(HttpClient http)
{
    private readonly ConcurrentDictionary<string, IReadOnlyList<JsonWebKey>> _cache = new(StringComparer.Ordinal);

    /// <summary>The issuer's keys, or null with a reason when they cannot be retrieved (STS: <c>IDPCommunicationError</c>).</summary>
    public async Task<(IReadOnlyList<JsonWebKey>? Keys, string? Problem)> GetKeysAsync(WebIdentityTrust trust, string? kid, CancellationToken cancellationToken)
    {
        var cacheKey = trust.JwksFile ?? trust.Issuer;
        if (_cache.TryGetValue(cacheKey, out var cached) && (kid is null || cached.Any(k => k.Kid == kid)))
        {
            return (cached, null);
        }

        try
        {
            var keys = trust.JwksFile is { } file
                ? ParseJwks(await File.ReadAllBytesAsync(file, cancellationToken))
                : await FetchAsync(trust.Issuer, cancellationToken);
            _cache[cacheKey] = keys;
            return (keys, null);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or JsonException or FormatException or UnauthorizedAccessException or TaskCanceledException)
        {
            return (null, e.Message);
        }
    }

    private async Task<IReadOnlyList<JsonWebKey>> FetchAsync(string issuer, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        var discovery = new Uri(issuer.TrimEnd('/') + "/.well-known/openid-configuration");
        using var config = JsonDocument.Parse(await http.GetByteArrayAsync(discovery, timeout.Token));
        if (!config.RootElement.TryGetProperty("jwks_uri", out var jwksUri) || jwksUri.ValueKind != JsonValueKind.String
            || !Uri.TryCreate(jwksUri.GetString(), UriKind.Absolute, out var uri))
        {
            throw new FormatException($"{discovery} has no absolute 'jwks_uri'");
        }

        return ParseJwks(await http.GetByteArrayAsync(uri, timeout.Token));
    }

    private static IReadOnlyList<JsonWebKey> ParseJwks(byte[] json)
    {
        using var doc = JsonDocument.Parse(json);
        return JsonWebKey.ParseSet(doc.RootElement);
    }
}
