using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace Basalt.Credentials.Oidc;

/// <summary>One public verification key.</summary>
internal sealed class JsonWebKey
{
    private readonly RSAParameters? _rsa;
    private readonly ECParameters? _ec;

    private JsonWebKey(string? keyId, string? algorithm, RSAParameters? rsa, ECParameters? ec)
    {
        KeyId = keyId;
        Algorithm = algorithm;
        _rsa = rsa;
        _ec = ec;
    }

    public string? KeyId { get; }

    public string? Algorithm { get; }

    public static JsonWebKey? TryParse(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var use = Get(element, "use");
        if (use is not null && use != "sig")
        {
            return null;
        }

        var kid = Get(element, "kid");
        var alg = Get(element, "alg");
        try
        {
            switch (Get(element, "kty"))
            {
                case "RSA" when Get(element, "n") is { } n && Get(element, "e") is { } e:
                    var modulus = Base64Url.DecodeFromChars(n);
                    return modulus.Length < 256 ? null : new JsonWebKey(kid, alg, new RSAParameters { Modulus = modulus, Exponent = Base64Url.DecodeFromChars(e) }, null);
                case "EC" when Get(element, "crv") == "P-256" && Get(element, "x") is { } x && Get(element, "y") is { } y:
                    var point = new ECPoint { X = Base64Url.DecodeFromChars(x), Y = Base64Url.DecodeFromChars(y) };
                    return point.X.Length != 32 || point.Y.Length != 32 ? null : new JsonWebKey(kid, alg, null, new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = point });
                default:
                    return null;
            }
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public bool Supports(string alg)
        => (Algorithm is null || Algorithm == alg) && alg switch
        {
            "RS256" => _rsa is not null,
            "ES256" => _ec is not null,
            _ => false,
        };

    /// <summary>Verifies a JWS signature over <paramref name="signingInput"/> (RFC 7518 §3.3 and §3.4).</summary>
    public bool Verify(string alg, ReadOnlySpan<byte> signingInput, ReadOnlySpan<byte> signature)
    {
        try
        {
            switch (alg)
            {
                case "RS256" when _rsa is { } rsaParameters:
                    using (var rsa = RSA.Create(rsaParameters))
                    {
                        return rsa.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                    }

                case "ES256" when _ec is { } ecParameters:
                    // JWS carries ECDSA signatures as R || S (64 bytes for P-256), not DER.
                    if (signature.Length != 64)
                    {
                        return false;
                    }

                    using (var ecdsa = ECDsa.Create(ecParameters))
                    {
                        return ecdsa.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
                    }

                default:
                    return false;
            }
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static string? Get(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
