namespace Basalt.Policy.Pii.Detectors;

/// <summary>
/// Email addresses, matched only in a window around each <c>@</c>: the pattern's first character class (any letter
/// or digit) would otherwise be tried at almost every position of a prompt (measured: the largest share of a 10 kB
/// scan; bench/results/policy.json). The window holds the longest local part (64, RFC 5321 §4.5.3.1.1) and domain.
/// </summary>
internal sealed class EmailDetector : PiiDetector
{
    private const int MaxLocal = 64;
    private const int MaxDomain = 255;

    public override PiiCategory Category => PiiCategory.Email;

    public override void Find(string text, List<PiiMatch> matches)
    {
        var from = 0;
        var covered = 0;
        while (from < text.Length)
        {
            var at = text.IndexOf('@', from);
            if (at < 0)
            {
                return;
            }

            from = at + 1;
            if (at < covered)
            {
                continue;
            }

            var start = Math.Max(covered, at - MaxLocal);
            var end = Math.Min(text.Length, at + 1 + MaxDomain);
            var m = BuiltInPatterns.Email().Match(text, start, end - start);
            if (!m.Success || m.Index > at)
            {
                continue;
            }

            // The window hides what stands before it: a longer local part is not an address the pattern accepts.
            if (m.Index > 0 && m.Index == start && IsLocalChar(text[m.Index - 1]))
            {
                continue;
            }

            matches.Add(new PiiMatch(Category, m.Index, m.Length, Rule));
            covered = m.Index + m.Length;
        }
    }

    private static bool IsLocalChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '%' or '+' or '-' or '_';
}
