using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Basalt.Testing.Identity;

/// <summary>
/// Signs ID tokens with throwaway RSA and P-256 keys, and publishes those keys as a JWKS document. HS256 signs with
/// a shared secret or <c>hmacKey</c> (to forge "HMAC with the public key" tokens).
/// The RSA-2048 key comes from a process-wide pool and goes back to it on <see cref="Dispose"/>: generating one costs
/// ~0.13 CPU-s, which made key generation most of the JWT validator tests' time (xunit builds a TestJwt per test).
/// A key is held by one live instance at a time, so two instances alive together (a key rotation, another IdP, an
/// attacker) never share a key.
/// </summary>
public sealed class TestJwt : IDisposable
{
    private static readonly ConcurrentBag<RSA> FreeRsaKeys = [];
    private bool _disposed;

    public RSA Rsa { get; } = FreeRsaKeys.TryTake(out var key) ? key : RSA.Create(2048);

    public ECDsa Ec { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public string JwksJson()
    {
        var rsa = Rsa.ExportParameters(false);
        var ec = Ec.ExportParameters(false);
        return new JsonObject
        {
            ["keys"] = new JsonArray(
                new JsonObject { ["kty"] = "RSA", ["kid"] = "rsa-1", ["use"] = "sig", ["alg"] = "RS256", ["n"] = B64(rsa.Modulus!), ["e"] = B64(rsa.Exponent!) },
                new JsonObject { ["kty"] = "RSA", ["kid"] = "rsa-ps", ["use"] = "sig", ["alg"] = "PS256", ["n"] = B64(rsa.Modulus!), ["e"] = B64(rsa.Exponent!) },
                new JsonObject { ["kty"] = "EC", ["kid"] = "ec-1", ["crv"] = "P-256", ["x"] = B64(ec.Q.X!), ["y"] = B64(ec.Q.Y!) },
                new JsonObject { ["kty"] = "RSA", ["kid"] = "enc-1", ["use"] = "enc", ["n"] = B64(rsa.Modulus!), ["e"] = B64(rsa.Exponent!) }),
        }.ToJsonString();
    }

    public string Sign(JsonObject claims, string alg = "RS256", string? kid = null, byte[]? hmacKey = null)
    {
        var header = new JsonObject { ["alg"] = alg, ["typ"] = "JWT" };
        if (kid is not null || alg != "none")
        {
            header["kid"] = kid ?? alg switch { "ES256" => "ec-1", "PS256" => "rsa-ps", _ => "rsa-1" };
        }

        var input = B64(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + B64(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var data = Encoding.ASCII.GetBytes(input);
        var signature = alg switch
        {
            "RS256" => Rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            "ES256" => Ec.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
            "PS256" => Rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
            "HS256" => HMACSHA256.HashData(hmacKey ?? Encoding.ASCII.GetBytes("shared-secret"), data),
            _ => [],
        };
        return input + "." + B64(signature);
    }

    public static JsonObject Claims(string issuer, string audience, DateTimeOffset now, string? nonce = "n-1", TimeSpan? lifetime = null)
    {
        var claims = new JsonObject
        {
            ["iss"] = issuer,
            ["sub"] = "user-1",
            ["aud"] = audience,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + (lifetime ?? TimeSpan.FromHours(1))).ToUnixTimeSeconds(),
            ["email"] = "user@example.com",
        };
        if (nonce is not null)
        {
            claims["nonce"] = nonce;
        }

        return claims;
    }

    public static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement;

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        FreeRsaKeys.Add(Rsa);
        Ec.Dispose();
    }

    private static string B64(byte[] bytes) => Base64Url.EncodeToString(bytes);
}
