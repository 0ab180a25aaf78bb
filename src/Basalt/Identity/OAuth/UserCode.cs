using System.Security.Cryptography;

namespace Basalt.Identity.OAuth;

/// <summary>
/// RFC 8628 §6.1 user codes: 8 characters from 20 consonants (no vowels, so no words; no look-alike digits),
/// 20^8 ≈ 2^34.5 combinations, shown as <c>BCDF-GHJK</c>. Input is compared case-insensitively without dashes or
/// spaces, as §6.1 recommends.
/// </summary>
public static class UserCode
{
    private const string Alphabet = "BCDFGHJKLMNPQRSTVWXZ";

    public static string Create()
    {
        var code = RandomNumberGenerator.GetString(Alphabet, 8);
        return code[..4] + "-" + code[4..];
    }

    /// <summary>The canonical form (<c>BCDF-GHJK</c>) of what a person typed, or null when it cannot be a user code.</summary>
    public static string? Normalize(string? typed)
    {
        if (typed is null || typed.Length > 32)
        {
            return null;
        }

        Span<char> letters = stackalloc char[8];
        var n = 0;
        foreach (var c in typed)
        {
            if (c is '-' or ' ')
            {
                continue;
            }

            var upper = char.ToUpperInvariant(c);
            if (n == 8 || !Alphabet.Contains(upper, StringComparison.Ordinal))
            {
                return null;
            }

            letters[n++] = upper;
        }

        return n == 8 ? new string(letters[..4]) + "-" + new string(letters[4..]) : null;
    }
}
