using System.Security.Cryptography;
using System.Text.Json;

namespace Basalt.Emulator.Sts.WebIdentity;

/// <summary>
/// One public key from a JWKS (RFC 7517): RSA (<c>n</c>, <c>e</c>) or EC P-256/P-384 (<c>x</c>, <c>y</c>), able to
/// verify a JWS signature (RFC 7518 §3: RS*, PS*, ES*).
/// </summary>
internal sealed class JsonWebKey
{
    private readonly RSAParameters? _rsa;
    private readonly ECParameters? _ec;

    private JsonWebKey(string? kid, string kty, string? alg, RSAParameters? rsa, ECParameters? ec)
    {
        Kid = kid;
        Kty = kty;
        Alg = alg;
        _rsa = rsa;
        _ec = ec;
    }

    public string? Kid { get; }

    public string Kty { get; }

    public string? Alg { get; }

    /// <summary>Parses the signature keys of a JWKS document; keys for encryption or of unknown types are skipped.</summary>
    public static IReadOnlyList<JsonWebKey> ParseSet(JsonElement jwks)
    {
        var keys = new List<JsonWebKey>();
        if (jwks.ValueKind != JsonValueKind.Object || !jwks.TryGetProperty("keys", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            throw new FormatException("a JWKS must be an object with a 'keys' array");
        }

        foreach (var k in array.EnumerateArray())
        {
            if (Parse(k) is { } key)
            {
                keys.Add(key);
            }
        }

        return keys;
    }

    private static JsonWebKey? Parse(JsonElement k)
    {
        if (k.ValueKind != JsonValueKind.Object || Text(k, "use") is "enc")
        {
            return null;
        }

        var kid = Text(k, "kid");
        var alg = Text(k, "alg");
        switch (Text(k, "kty"))
        {
            case "RSA" when Bytes(k, "n") is { } n && Bytes(k, "e") is { } e:
                return new JsonWebKey(kid, "RSA", alg, new RSAParameters { Modulus = n, Exponent = e }, null);
            case "EC" when Bytes(k, "x") is { } x && Bytes(k, "y") is { } y:
                ECCurve? curve = Text(k, "crv") switch
                {
                    "P-256" => ECCurve.NamedCurves.nistP256,
                    "P-384" => ECCurve.NamedCurves.nistP384,
                    "P-521" => ECCurve.NamedCurves.nistP521,
                    _ => null,
                };
                return curve is null ? null : new JsonWebKey(kid, "EC", alg, null, new ECParameters { Curve = curve.Value, Q = new ECPoint { X = x, Y = y } });
            default:
                return null;
        }
    }

    /// <summary>Whether this key can check a signature made with JWS algorithm <paramref name="alg"/>.</summary>
    public bool Supports(string alg)
        => (Alg is null || Alg == alg) && (alg.StartsWith("RS", StringComparison.Ordinal) || alg.StartsWith("PS", StringComparison.Ordinal) ? Kty == "RSA" : alg.StartsWith("ES", StringComparison.Ordinal) && Kty == "EC");

    public bool Verify(string alg, ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature)
    {
        var hash = alg[2..] switch
        {
            "256" => HashAlgorithmName.SHA256,
            "384" => HashAlgorithmName.SHA384,
            "512" => HashAlgorithmName.SHA512,
            _ => default,
        };
        if (hash == default || !Supports(alg))
        {
            return false;
        }

        try
        {
            if (_rsa is { } rsaParameters)
            {
                using var rsa = RSA.Create(rsaParameters);
                var padding = alg.StartsWith("PS", StringComparison.Ordinal) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
                return rsa.VerifyData(signingInput, signature, hash, padding);
            }

            using var ecdsa = ECDsa.Create(_ec!.Value);

            // JWS carries ECDSA signatures as the raw r||s concatenation (RFC 7518 §3.4), .NET's default format.
            return ecdsa.VerifyData(signingInput, signature, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static string? Text(JsonElement e, string name)
        => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static byte[]? Bytes(JsonElement e, string name)
        => Text(e, name) is { } s ? DecodeBase64Url(s) : null;

    /// <summary>base64url (RFC 7515 §2); tolerates the padding some issuers leave in.</summary>
    internal static byte[]? DecodeBase64Url(string text)
    {
        try
        {
            return System.Buffers.Text.Base64Url.DecodeFromChars(text.TrimEnd('='));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
