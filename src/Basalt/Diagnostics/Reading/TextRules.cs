namespace Basalt.Diagnostics.Reading;

/// <summary>
/// Which characters every output format Basalt writes can carry. XML 1.0 (profiles, plists, ADMX) allows no
/// control characters but tab, LF and CR, no U+FFFE/U+FFFF and no unpaired surrogates; registry value names and
/// display strings allow no NUL. A value read from outside input that ends up in a generated file is checked
/// here, where its file:line:column is still known, instead of producing a file its own reader rejects.
/// </summary>
public static class TextRules
{
    /// <summary>A description of the first character no output format can carry, or null when the text is fine.</summary>
    public static string? FirstUnrepresentable(string text, bool allowLineBreaks = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                return "an unpaired surrogate (invalid UTF-16)";
            }

            if (c is '\uFFFE' or '\uFFFF')
            {
                return $"the noncharacter U+{(int)c:X4}";
            }

            if ((c < 0x20 || c == 0x7F) && !(allowLineBreaks && c is '\t' or '\n' or '\r'))
            {
                return c == '\0' ? "a NUL character" : $"the control character U+{(int)c:X4}";
            }
        }

        return null;
    }
}
