using System.Security.Cryptography;

namespace Basalt.Emulator.Identity;

/// <summary>
/// Fresh random credential material in the shapes AWS uses: 20-character key ids with a type prefix
/// (<c>ASIA</c> session keys, <c>AIDA</c> user ids, <c>AROA</c> role ids), 40-character secrets, long opaque
/// session and bearer tokens. All from <see cref="RandomNumberGenerator"/>: tests treat them as real secrets.
/// </summary>
internal static class CredentialMaterial
{
    private const string UpperAlphanumeric = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private const string SecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /// <summary>A 20-character id: the 4-letter prefix then 16 base32 characters, like AWS key and unique ids.</summary>
    public static string Id(string prefix, int length = 20) => prefix + RandomNumberGenerator.GetString(UpperAlphanumeric, length - prefix.Length);

    public static string SecretAccessKey() => RandomNumberGenerator.GetString(SecretAlphabet, 40);

    /// <summary>An opaque token of <paramref name="bytes"/> random bytes, base64url without padding.</summary>
    public static string Token(int bytes = 96)
        => Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>STS session tokens are long standard-base64 strings; clients treat them as opaque.</summary>
    public static string SessionToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(192));

    /// <summary>A short user code for the device flow: 8 letters from an unambiguous alphabet, shown as XXXX-XXXX.</summary>
    public static string UserCode()
    {
        var code = RandomNumberGenerator.GetString("BCDFGHJKLMNPQRSTVWXZ", 8);
        return $"{code[..4]}-{code[4..]}";
    }

    public static string HexSuffix(int length = 16) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(length / 2));
}
