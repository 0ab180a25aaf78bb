using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Basalt.Gateway.Dashboard;

/// <summary>
/// Seals cookie payloads with AES-256-GCM under a key derived (HKDF-SHA256, RFC 5869) from the configured session
/// key, so a cookie is confidential and tamper-evident and any replica holding the same key opens it (stateless
/// sessions across replicas, issue 11 item 1). The purpose is authenticated data: a sign-in cookie can never be
/// replayed as a session. Also derives the CSRF token of a session (HMAC-SHA256 of its id under its own sub-key).
/// </summary>
internal sealed class DashboardSealer
{
    private const byte Version = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _encryption;
    private readonly byte[] _csrf;

    public DashboardSealer(DashboardSessionKey key)
    {
        _encryption = HKDF.DeriveKey(HashAlgorithmName.SHA256, key.Bytes.ToArray(), 32, info: "basalt dashboard cookie v1"u8.ToArray());
        _csrf = HKDF.DeriveKey(HashAlgorithmName.SHA256, key.Bytes.ToArray(), 32, info: "basalt dashboard csrf v1"u8.ToArray());
    }

    /// <summary>base64url(version ‖ nonce ‖ ciphertext ‖ tag).</summary>
    public string Seal(string purpose, ReadOnlySpan<byte> plaintext)
    {
        var output = new byte[1 + NonceSize + plaintext.Length + TagSize];
        output[0] = Version;
        var nonce = output.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_encryption, TagSize);
        aes.Encrypt(nonce, plaintext, output.AsSpan(1 + NonceSize, plaintext.Length), output.AsSpan(1 + NonceSize + plaintext.Length), Encoding.ASCII.GetBytes(purpose));
        return Base64Url.EncodeToString(output);
    }

    /// <summary>The plaintext, or null when the value was not sealed by this key for this purpose (or was altered).</summary>
    public byte[]? Open(string purpose, string? sealedText)
    {
        if (string.IsNullOrEmpty(sealedText) || sealedText.Length > 8192)
        {
            return null;
        }

        byte[] data;
        try
        {
            data = Base64Url.DecodeFromChars(sealedText);
        }
        catch (FormatException)
        {
            return null;
        }

        if (data.Length < 1 + NonceSize + TagSize || data[0] != Version)
        {
            return null;
        }

        var length = data.Length - 1 - NonceSize - TagSize;
        var plaintext = new byte[length];
        try
        {
            using var aes = new AesGcm(_encryption, TagSize);
            aes.Decrypt(data.AsSpan(1, NonceSize), data.AsSpan(1 + NonceSize, length), data.AsSpan(1 + NonceSize + length), plaintext, Encoding.ASCII.GetBytes(purpose));
            return plaintext;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }

    public string CsrfToken(string sessionId) => Base64Url.EncodeToString(HMACSHA256.HashData(_csrf, Encoding.UTF8.GetBytes(sessionId)));

    /// <summary>Constant-time check of a presented CSRF token against the session's.</summary>
    public bool CsrfMatches(string sessionId, string? presented)
    {
        if (string.IsNullOrEmpty(presented) || presented.Length > 128)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(CsrfToken(sessionId));
        var given = Encoding.UTF8.GetBytes(presented);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
