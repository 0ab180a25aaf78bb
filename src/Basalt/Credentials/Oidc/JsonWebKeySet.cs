using System.Text.Json;

namespace Basalt.Credentials.Oidc;

/// <summary>
/// The IdP's signing keys (RFC 7517) that ID tokens are verified with. Only what RS256 and ES256 need: RSA keys
/// (<c>n</c>, <c>e</c>, at least 2048 bits) and P-256 EC keys (<c>x</c>, <c>y</c>). Encryption keys
/// (<c>use: enc</c>) and other types are skipped, so one odd key does not break sign-in.
/// </summary>
internal sealed class JsonWebKeySet
{
    private JsonWebKeySet(IReadOnlyList<JsonWebKey> keys) => Keys = keys;

    public IReadOnlyList<JsonWebKey> Keys { get; }

    public static JsonWebKeySet Parse(JsonElement root)
    {
        List<JsonWebKey> keys = [];
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("keys", out var array) && array.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in array.EnumerateArray())
            {
                if (JsonWebKey.TryParse(item) is { } key)
                {
                    keys.Add(key);
                }
            }
        }

        return new JsonWebKeySet(keys);
    }

    /// <summary>Keys that may have signed a token with this header: by <c>kid</c> when given, else every key of the algorithm's type.</summary>
    public IEnumerable<JsonWebKey> Candidates(string alg, string? kid)
        => Keys.Where(k => k.Supports(alg) && (kid is null || k.KeyId is null || string.Equals(k.KeyId, kid, StringComparison.Ordinal)));
}
