using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Basalt.Credentials.Oidc;

/// <summary>
/// Proof Key for Code Exchange (RFC 7636) with the S256 method, and the other one-time random values of an
/// authorization request (<c>state</c>, <c>nonce</c>). All come from the OS CSPRNG.
/// </summary>
internal static class Pkce
{
    /// <summary>32 random bytes give a 43-character verifier, the minimum length RFC 7636 §4.1 allows, with 256 bits of entropy.</summary>
    public static string CreateVerifier() => RandomToken(32);

    /// <summary><c>BASE64URL(SHA256(ASCII(code_verifier)))</c> (RFC 7636 §4.2).</summary>
    public static string Challenge(string verifier)
    {
        ArgumentException.ThrowIfNullOrEmpty(verifier);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.ASCII.GetBytes(verifier), hash);
        return Base64Url.EncodeToString(hash);
    }

    /// <summary>An unguessable URL-safe value for <c>state</c> and <c>nonce</c>.</summary>
    public static string RandomToken(int bytes = 16)
    {
        Span<byte> buffer = stackalloc byte[bytes];
        RandomNumberGenerator.Fill(buffer);
        return Base64Url.EncodeToString(buffer);
    }
}
