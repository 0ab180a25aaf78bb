using System.Security.Cryptography;

namespace Basalt.Policy.Archive;

/// <summary>
/// The operator's archive key (issue 12 item 3): 32 random bytes, given base64-encoded by reference (<c>${file:}</c>
/// or <c>${env:}</c>) so it is never in the configuration itself. Its id (a hash prefix) is stored with every entry,
/// so reading with the wrong key is a clear error rather than garbage. <see cref="ToString"/> never shows the key.
/// </summary>
public sealed class ArchiveKey
{
    private readonly byte[] _key;

    private ArchiveKey(byte[] key)
    {
        _key = key;
        Id = Convert.ToHexStringLower(SHA256.HashData(key))[..16];
    }

    /// <summary>Non-secret identifier of the key (first 64 bits of its SHA-256).</summary>
    public string Id { get; }

    internal ReadOnlySpan<byte> Bytes => _key;

    /// <summary>Parses a base64 32-byte key; false with a message that says what was wrong, never the value.</summary>
    public static bool TryParse(string? base64, out ArchiveKey? key, out string? problem)
    {
        key = null;
        var buffer = new byte[64];
        if (string.IsNullOrWhiteSpace(base64) || !Convert.TryFromBase64String(base64.Trim(), buffer, out var written))
        {
            problem = "the archive key is not base64; make one with `openssl rand -base64 32`";
            return false;
        }

        if (written != 32)
        {
            problem = $"the archive key is {written} bytes; AES-256-GCM needs exactly 32 (`openssl rand -base64 32`)";
            return false;
        }

        key = new ArchiveKey(buffer[..32]);
        CryptographicOperations.ZeroMemory(buffer);
        problem = null;
        return true;
    }

    public static ArchiveKey Generate() => new(RandomNumberGenerator.GetBytes(32));

    public string ToBase64() => Convert.ToBase64String(_key);

    public override string ToString() => $"archive key {Id}";
}
