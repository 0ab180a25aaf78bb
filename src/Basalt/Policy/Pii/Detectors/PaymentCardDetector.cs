namespace Basalt.Policy.Pii.Detectors;

/// <summary>
/// Payment card numbers: 13–19 digits with at most one separator kind, a Luhn-valid check digit (ISO/IEC 7812-1) and
/// an issuer prefix and length that a network actually issues — so an order number or a 16-digit id is not a card.
/// </summary>
internal sealed class PaymentCardDetector : PiiDetector
{
    public override PiiCategory Category => PiiCategory.PaymentCard;

    public override void Find(string text, List<PiiMatch> matches)
    {
        for (var m = BuiltInPatterns.CardCandidate().Match(text); m.Success; m = m.NextMatch())
        {
            if (IsCard(m.ValueSpan))
            {
                matches.Add(new PiiMatch(Category, m.Index, m.Length, Rule));
            }
        }
    }

    internal static bool IsCard(ReadOnlySpan<char> candidate)
    {
        Span<char> digits = stackalloc char[19];
        var count = 0;
        var separator = '\0';
        foreach (var c in candidate)
        {
            if (c is ' ' or '-')
            {
                if (separator != '\0' && separator != c)
                {
                    return false;
                }

                separator = c;
                continue;
            }

            if (count == digits.Length)
            {
                return false;
            }

            digits[count++] = c;
        }

        var number = digits[..count];
        return IssuerAccepts(number) && Checksums.Luhn(number);
    }

    /// <summary>IIN ranges and lengths of the networks (ISO/IEC 7812 registry as the networks publish them).</summary>
    private static bool IssuerAccepts(ReadOnlySpan<char> n)
    {
        var length = n.Length;
        var p2 = Prefix(n, 2);
        var p3 = Prefix(n, 3);
        var p4 = Prefix(n, 4);
        return (n[0] == '4' && length is 13 or 16 or 19) // Visa
            || (p2 is >= 51 and <= 55 && length == 16) // Mastercard
            || (p4 is >= 2221 and <= 2720 && length == 16) // Mastercard 2-series
            || (p2 is 34 or 37 && length == 15) // American Express
            || ((p4 == 6011 || p2 == 65 || p3 is >= 644 and <= 649) && length is 16 or 19) // Discover
            || (p4 is >= 3528 and <= 3589 && length is >= 16 and <= 19) // JCB
            || ((p2 is 36 or 38 or 39 || p3 is >= 300 and <= 305) && length is 14 or 16) // Diners
            || (p2 == 62 && length is >= 16 and <= 19) // UnionPay (Luhn on the cards that reach Western merchants)
            || ((p2 is 50 or (>= 56 and <= 58) || p4 is 6304 or 6759 or 6761 or 6762 or 6763) && length is >= 12 and <= 19); // Maestro
    }

    private static int Prefix(ReadOnlySpan<char> digits, int count)
    {
        var value = 0;
        for (var i = 0; i < count; i++)
        {
            value = (value * 10) + (digits[i] - '0');
        }

        return value;
    }
}
