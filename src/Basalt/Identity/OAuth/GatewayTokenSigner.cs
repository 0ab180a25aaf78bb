using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Basalt.Identity.Jwt;

namespace Basalt.Identity.OAuth;

/// <summary>
/// Signs the gateway's own access tokens: ES256 (RFC 7518 §3.4, the signature in the JWS's raw r||s form) with a
/// P-256 key kept in the OAuth store, so every replica and every restart verifies the same tokens. The public key
/// is published as a JWKS (RFC 7517) and verified by the one <see cref="JwtValidator"/>.
/// </summary>
public sealed class GatewayTokenSigner : IDisposable
{
    private readonly ECDsa _key;
    private readonly byte[] _header;

    public GatewayTokenSigner(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        _key = key;
        var parameters = key.ExportParameters(false);
        var x = Base64Url.EncodeToString(parameters.Q.X);
        var y = Base64Url.EncodeToString(parameters.Q.Y);

        // RFC 7638 thumbprint: SHA-256 of the required members in lexicographic order.
        KeyId = Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes($$"""{"crv":"P-256","kty":"EC","x":"{{x}}","y":"{{y}}"}""")));
        JwksJson = $$"""{"keys":[{"kty":"EC","crv":"P-256","x":"{{x}}","y":"{{y}}","kid":"{{KeyId}}","alg":"ES256","use":"sig"}]}""";
        Keys = SigningKeySet.Parse(JwksJson);
        _header = Encoding.UTF8.GetBytes(Base64Url.EncodeToString(Encoding.UTF8.GetBytes($$"""{"alg":"ES256","typ":"at+jwt","kid":"{{KeyId}}"}""")));
    }

    public string KeyId { get; }

    /// <summary>The public key as a JWKS document (served at <c>jwks_uri</c>).</summary>
    public string JwksJson { get; }

    public SigningKeySet Keys { get; }

    /// <summary>A new P-256 key, exported as PKCS#8 for the store.</summary>
    public static byte[] NewKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return key.ExportPkcs8PrivateKey();
    }

    public static GatewayTokenSigner FromPkcs8(byte[] pkcs8)
    {
        var key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(pkcs8, out _);
        return new GatewayTokenSigner(key);
    }

    /// <summary>The compact JWS of the claims <paramref name="write"/> writes into the payload object.</summary>
    public string Sign(Action<Utf8JsonWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var payload = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(payload))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        var signingInput = new StringBuilder(1024);
        signingInput.Append(Encoding.UTF8.GetString(_header)).Append('.').Append(Base64Url.EncodeToString(payload.WrittenSpan));
        var bytes = Encoding.ASCII.GetBytes(signingInput.ToString());
        var signature = _key.SignData(bytes, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return signingInput.Append('.').Append(Base64Url.EncodeToString(signature)).ToString();
    }

    public void Dispose() => _key.Dispose();
}
