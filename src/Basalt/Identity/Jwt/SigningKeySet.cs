using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace Basalt.Identity.Jwt;

/// <summary>
/// An issuer's signature verification keys, from a JWKS document (RFC 7517 §5). Only what RS*/PS*/ES* need is
/// kept: RSA keys of at least 2048 bits (RFC 7518 §3.3) and EC keys on P-256/384/521; encryption keys
/// (<c>use: enc</c>) and unknown types are skipped so one odd key does not break sign-in.
/// </summary>
public sealed class SigningKeySet
{
    private SigningKeySet(IReadOnlyList<JsonWebKey> keys) => Keys = keys;

    public static SigningKeySet Empty { get; } = new([]);

    internal IReadOnlyList<JsonWebKey> Keys { get; }

    /// <summary>Parses a JWKS; throws <see cref="FormatException"/> when it is not a JSON object with a <c>keys</c> array.</summary>
    public static SigningKeySet Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return Parse(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new FormatException("a JWKS must be a JSON object with a 'keys' array: " + e.Message, e);
        }
    }

    public static SigningKeySet Parse(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("keys", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("a JWKS must be a JSON object with a 'keys' array");
        }

        List<JsonWebKey> keys = [];
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            JsonWebKey key;
            try
            {
                key = new JsonWebKey(item.GetRawText());
            }
            catch (ArgumentException)
            {
                continue;
            }

            if (Usable(key))
            {
                keys.Add(key);
            }
        }

        return new SigningKeySet(keys);
    }

    /// <summary>
    /// Keys that may have signed a token with this header: by <c>kid</c> when the token names one (a key without a
    /// <c>kid</c> stays a candidate), of the algorithm's key type, and with a matching <c>alg</c> when the key pins one.
    /// </summary>
    internal List<SecurityKey> Candidates(string alg, string? kid)
    {
        var kty = JwtAlgorithms.KeyType(alg);
        List<SecurityKey> candidates = [];
        foreach (var key in Keys)
        {
            if (key.Kty == kty && (string.IsNullOrEmpty(key.Alg) || key.Alg == alg)
                && (kid is null || string.IsNullOrEmpty(key.Kid) || string.Equals(key.Kid, kid, StringComparison.Ordinal)))
            {
                candidates.Add(key);
            }
        }

        return candidates;
    }

    private static bool Usable(JsonWebKey key)
    {
        if (!string.IsNullOrEmpty(key.Use) && key.Use != JsonWebKeyUseNames.Sig)
        {
            return false;
        }

        try
        {
            return key.Kty switch
            {
                JsonWebAlgorithmsKeyTypes.RSA => !string.IsNullOrEmpty(key.E) && Base64UrlEncoder.DecodeBytes(key.N ?? string.Empty).Length >= 256,
                JsonWebAlgorithmsKeyTypes.EllipticCurve => key.Crv is "P-256" or "P-384" or "P-521" && !string.IsNullOrEmpty(key.X) && !string.IsNullOrEmpty(key.Y),
                _ => false,
            };
        }
        catch (Exception e) when (e is FormatException or ArgumentException)
        {
            return false;
        }
    }
}
