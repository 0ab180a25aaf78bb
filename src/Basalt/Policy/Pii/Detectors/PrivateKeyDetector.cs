namespace Basalt.Policy.Pii.Detectors;

/// <summary>
/// PEM private keys (RFC 7468 §10–11, and OpenSSH's armour): from the BEGIN line through its END line. A key cut off
/// before its END line is still a key: the finding runs to <see cref="MaxKeyChars"/> or the end of the text.
/// </summary>
internal sealed class PrivateKeyDetector : PiiDetector
{
    /// <summary>An RSA 8192-bit PKCS#8 key is about 6.5 kB of base64; no private key is longer than this.</summary>
    internal const int MaxKeyChars = 16 * 1024;

    public override PiiCategory Category => PiiCategory.PrivateKey;

    public override void Find(string text, List<PiiMatch> matches)
    {
        var from = 0;
        while (from < text.Length)
        {
            var m = BuiltInPatterns.PrivateKeyBegin().Match(text, from);
            if (!m.Success)
            {
                return;
            }

            var limit = Math.Min(text.Length, m.Index + MaxKeyChars);
            var end = limit;
            var endLine = text.IndexOf("-----END ", m.Index + m.Length, limit - (m.Index + m.Length), StringComparison.Ordinal);
            if (endLine >= 0)
            {
                var close = text.IndexOf("-----", endLine + 9, Math.Min(64, limit - (endLine + 9)), StringComparison.Ordinal);
                end = close >= 0 ? close + 5 : limit;
            }

            matches.Add(new PiiMatch(Category, m.Index, end - m.Index, Rule));
            from = end;
        }
    }
}
