using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace Basalt.ManagedConfig.Formats;

/// <summary>
/// Name-based UUIDs (RFC 4122 §4.3, version 5) so the same deployment always gets the same profile and payload
/// UUIDs: MDMs and macOS use PayloadUUID/PayloadIdentifier to replace an installed profile rather than add one.
/// </summary>
internal static class DeterministicUuid
{
    /// <summary>The RFC 4122 URL namespace; names are <c>urn:basalt:mobileconfig:&lt;seed&gt;:&lt;role&gt;</c>.</summary>
    private static readonly byte[] UrlNamespace = Convert.FromHexString("6ba7b8119dad11d180b400c04fd430c8");

    [SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms", Justification = "RFC 4122 defines version 5 UUIDs as SHA-1; this is an identifier, not a security control.")]
    public static string Create(string seed, string role)
    {
        var name = Encoding.UTF8.GetBytes($"urn:basalt:mobileconfig:{seed}:{role}");
        var input = new byte[UrlNamespace.Length + name.Length];
        UrlNamespace.CopyTo(input, 0);
        name.CopyTo(input, UrlNamespace.Length);
        var hash = SHA1.HashData(input);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        var hex = Convert.ToHexString(hash, 0, 16);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..32]}";
    }
}
