using System.Security.Cryptography;

namespace Basalt.Gateway.Dashboard;

/// <summary>
/// The key that seals dashboard cookies (AES-256-GCM): 32 random bytes, base64, given by reference so every replica
/// holds the same one and opens the others' sessions. <see cref="ToString"/> never shows it.
/// </summary>
public sealed class DashboardSessionKey
{
    private readonly byte[] _key;

    private DashboardSessionKey(byte[] key) => _key = key;

    internal ReadOnlySpan<byte> Bytes => _key;

    /// <summary>Parses a base64 32-byte key; false with a message naming what is wrong, never the value.</summary>
    public static bool TryParse(string? base64, out DashboardSessionKey? key, out string? problem)
    {
        key = null;
        var buffer = new byte[64];
        if (string.IsNullOrWhiteSpace(base64) || !Convert.TryFromBase64String(base64.Trim(), buffer, out var written))
        {
            problem = "the session key is not base64; make one with `openssl rand -base64 32`";
            return false;
        }

        if (written != 32)
        {
            problem = $"the session key is {written} bytes; AES-256-GCM needs exactly 32 (`openssl rand -base64 32`)";
            CryptographicOperations.ZeroMemory(buffer);
            return false;
        }

        key = new DashboardSessionKey(buffer[..32]);
        CryptographicOperations.ZeroMemory(buffer);
        problem = null;
        return true;
    }

    public static DashboardSessionKey Generate() => new(RandomNumberGenerator.GetBytes(32));

    public override string ToString() => "dashboard session key";
}
