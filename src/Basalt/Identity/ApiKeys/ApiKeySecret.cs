using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Basalt.Identity.ApiKeys;

/// <summary>
/// The key text: <c>bsk_&lt;id&gt;_&lt;secret&gt;</c>. The fixed prefix makes a leaked key recognisable (secret
/// scanners, log redaction); the id finds the stored record without a scan; the secret is 32 random bytes,
/// base64url. Only a salted SHA-256 of the secret is ever stored.
/// </summary>
public static class ApiKeySecret
{
    public const string Prefix = "bsk_";

    /// <summary>Longest key text looked at; anything longer is not a Basalt key.</summary>
    public const int MaxLength = 96;

    private const int IdLength = 12;

    public static (string Id, string Secret, string Text) Create()
    {
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(IdLength / 2));
        var secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (id, secret, Prefix + id + "_" + secret);
    }

    /// <summary>Splits key text into id and secret; false for anything that is not shaped like a Basalt key.</summary>
    public static bool TryParse(string text, out string id, out string secret)
    {
        id = secret = string.Empty;
        if (text.Length > MaxLength || !text.StartsWith(Prefix, StringComparison.Ordinal) || text.Length < Prefix.Length + IdLength + 2
            || text[Prefix.Length + IdLength] != '_')
        {
            return false;
        }

        id = text.Substring(Prefix.Length, IdLength);
        secret = text[(Prefix.Length + IdLength + 1)..];
        return id.All(char.IsAsciiHexDigitLower) && secret.Length == 43;
    }

    public static byte[] NewSalt() => RandomNumberGenerator.GetBytes(16);

    public static byte[] Hash(byte[] salt, string secret)
    {
        ArgumentNullException.ThrowIfNull(salt);
        var input = new byte[salt.Length + Encoding.UTF8.GetByteCount(secret)];
        salt.CopyTo(input, 0);
        Encoding.UTF8.GetBytes(secret, input.AsSpan(salt.Length));
        return SHA256.HashData(input);
    }

    public static bool Matches(ManagedApiKey key, string secret)
    {
        ArgumentNullException.ThrowIfNull(key);
        return CryptographicOperations.FixedTimeEquals(Hash(key.Salt, secret), key.Hash);
    }
}
