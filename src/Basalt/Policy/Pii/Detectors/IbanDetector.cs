using System.Collections.Frozen;

namespace Basalt.Policy.Pii.Detectors;

/// <summary>
/// IBANs in electronic (<c>DE89370400440532013000</c>) or printed form (groups of four): the country's registered
/// length (ISO 13616 registry) and the mod-97 check must both hold, so a product code shaped like an IBAN is not one.
/// </summary>
internal sealed class IbanDetector : PiiDetector
{
    // SWIFT IBAN registry (release 2024): country → total length.
    private static readonly FrozenDictionary<string, int> Lengths = new Dictionary<string, int>
    {
        ["AD"] = 24, ["AE"] = 23, ["AL"] = 28, ["AT"] = 20, ["AZ"] = 28, ["BA"] = 20, ["BE"] = 16, ["BG"] = 22, ["BH"] = 22,
        ["BR"] = 29, ["BY"] = 28, ["CH"] = 21, ["CR"] = 22, ["CY"] = 28, ["CZ"] = 24, ["DE"] = 22, ["DK"] = 18, ["DO"] = 28,
        ["EE"] = 20, ["EG"] = 29, ["ES"] = 24, ["FI"] = 18, ["FO"] = 18, ["FR"] = 27, ["GB"] = 22, ["GE"] = 22, ["GI"] = 23,
        ["GL"] = 18, ["GR"] = 27, ["GT"] = 28, ["HR"] = 21, ["HU"] = 28, ["IE"] = 22, ["IL"] = 23, ["IQ"] = 23, ["IS"] = 26,
        ["IT"] = 27, ["JO"] = 30, ["KW"] = 30, ["KZ"] = 20, ["LB"] = 28, ["LC"] = 32, ["LI"] = 21, ["LT"] = 20, ["LU"] = 20,
        ["LV"] = 21, ["MC"] = 27, ["MD"] = 24, ["ME"] = 22, ["MK"] = 19, ["MR"] = 27, ["MT"] = 31, ["MU"] = 30, ["NL"] = 18,
        ["NO"] = 15, ["PK"] = 24, ["PL"] = 28, ["PS"] = 29, ["PT"] = 25, ["QA"] = 29, ["RO"] = 24, ["RS"] = 22, ["SA"] = 24,
        ["SC"] = 31, ["SE"] = 24, ["SI"] = 19, ["SK"] = 24, ["SM"] = 27, ["ST"] = 25, ["SV"] = 28, ["TL"] = 23, ["TN"] = 24,
        ["TR"] = 26, ["UA"] = 29, ["VA"] = 22, ["VG"] = 24, ["XK"] = 20,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public override PiiCategory Category => PiiCategory.Iban;

    /// <summary>
    /// In the printed form the last group is the short one; a complete group followed by another short group
    /// (<c>… 7983 1</c>) is a longer number written in fours, not this IBAN followed by a digit.
    /// </summary>
    private static bool GroupingContinues(string text, int start, int end)
    {
        if (end - start < 5 || text[start + 4] != ' ' || end >= text.Length || text[end] != ' ')
        {
            return false;
        }

        var lastSpace = text.LastIndexOf(' ', end - 1, end - start);
        if (end - lastSpace - 1 != 4)
        {
            return false;
        }

        var next = end + 1;
        var n = 0;
        while (next + n < text.Length && n <= 4 && (char.IsAsciiDigit(text[next + n]) || char.IsAsciiLetterUpper(text[next + n])))
        {
            n++;
        }

        return n is >= 1 and <= 4 && (next + n >= text.Length || !char.IsAsciiLetterOrDigit(text[next + n]));
    }

    public override void Find(string text, List<PiiMatch> matches)
    {
        Span<char> iban = stackalloc char[34];
        for (var m = BuiltInPatterns.IbanStart().Match(text); m.Success; m = m.NextMatch())
        {
            if (!Lengths.TryGetValue(text.Substring(m.Index, 2), out var length))
            {
                continue;
            }

            // Consume exactly the country's length of alphanumerics, allowing single spaces between them.
            var count = 0;
            var i = m.Index;
            while (i < text.Length && count < length)
            {
                var c = text[i];
                if (c is (>= 'A' and <= 'Z') or (>= '0' and <= '9'))
                {
                    iban[count++] = c;
                    i++;
                }
                else if (c == ' ' && count >= 4 && i + 1 < text.Length && text[i + 1] != ' ')
                {
                    i++;
                }
                else
                {
                    break;
                }
            }

            var endsCleanly = (i >= text.Length || !char.IsAsciiLetterOrDigit(text[i])) && !GroupingContinues(text, m.Index, i);
            if (count == length && endsCleanly && Checksums.IbanMod97(iban[..count]))
            {
                matches.Add(new PiiMatch(Category, m.Index, i - m.Index, Rule));
            }
        }
    }
}
