namespace Basalt.Gateway.Hosting;

/// <summary>
/// <c>application/x-www-form-urlencoded</c> name/value pairs — a query string or a form body (WHATWG URL,
/// "application/x-www-form-urlencoded parsing": <c>&amp;</c>-separated, <c>+</c> is a space, percent-decoded). The one
/// parser of the admin API, the dashboard API and the OAuth endpoints.
/// </summary>
internal static class FormFields
{
    /// <summary>Every pair; a name given twice keeps its last value; a name without <c>=</c> has the empty value.</summary>
    public static Dictionary<string, string> Parse(string? text) => Parse(text, strict: false)!;

    /// <summary>
    /// OAuth's rules (RFC 6749 §3.1): a parameter without a value is treated as omitted, and one sent twice — or one
    /// that cannot be decoded — refuses the whole set (null).
    /// </summary>
    public static Dictionary<string, string>? ParseStrict(string? text) => Parse(text, strict: true);

    private static Dictionary<string, string>? Parse(string? text, bool strict)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(text))
        {
            return result;
        }

        foreach (var pair in text.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            string name, value;
            try
            {
                name = Decode(eq < 0 ? pair : pair[..eq]);
                value = eq < 0 ? string.Empty : Decode(pair[(eq + 1)..]);
            }
            catch (UriFormatException) when (strict)
            {
                return null;
            }

            if (!strict)
            {
                result[name] = value;
            }
            else if (value.Length > 0 && !result.TryAdd(name, value))
            {
                return null;
            }
        }

        return result;
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}
