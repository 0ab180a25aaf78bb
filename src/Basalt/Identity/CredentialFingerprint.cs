using System.Security.Cryptography;
using System.Text;

namespace Basalt.Identity;

/// <summary>
/// A non-secret name for a credential, for <see cref="Principal.CredentialId"/>, usage records and audit lines:
/// a short SHA-256 prefix. 64 bits is plenty to tell a user's tokens apart and reveals nothing usable.
/// </summary>
public static class CredentialFingerprint
{
    public static string Of(string credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(credential), hash);
        return "sha256:" + Convert.ToHexStringLower(hash[..8]);
    }
}
