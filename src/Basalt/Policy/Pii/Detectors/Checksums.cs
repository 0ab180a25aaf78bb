namespace Basalt.Policy.Pii.Detectors;

/// <summary>The check-digit algorithms that separate real identifiers from look-alikes.</summary>
internal static class Checksums
{
    /// <summary>Luhn (ISO/IEC 7812-1) over the digits of <paramref name="text"/>, ignoring spaces and dashes.</summary>
    public static bool Luhn(ReadOnlySpan<char> text)
    {
        var sum = 0;
        var doubleIt = false;
        for (var i = text.Length - 1; i >= 0; i--)
        {
            var c = text[i];
            if (c is ' ' or '-')
            {
                continue;
            }

            var d = c - '0';
            if (doubleIt)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            doubleIt = !doubleIt;
        }

        return sum % 10 == 0;
    }

    /// <summary>ISO 13616 mod-97 check of an IBAN given without separators (upper case letters and digits).</summary>
    public static bool IbanMod97(ReadOnlySpan<char> iban)
    {
        // Move the first four characters to the end, letters become 10..35, remainder mod 97 must be 1.
        var remainder = 0;
        for (var i = 0; i < iban.Length; i++)
        {
            var c = iban[(i + 4) % iban.Length];
            if (c is >= '0' and <= '9')
            {
                remainder = ((remainder * 10) + (c - '0')) % 97;
            }
            else if (c is >= 'A' and <= 'Z')
            {
                remainder = ((remainder * 100) + (c - 'A' + 10)) % 97;
            }
            else
            {
                return false;
            }
        }

        return remainder == 1;
    }
}
