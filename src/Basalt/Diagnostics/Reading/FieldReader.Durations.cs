using System.Globalization;

namespace Basalt.Diagnostics.Reading;

/// <summary>Duration text (<c>3600</c>, <c>45s</c>, <c>15m</c>, <c>12h</c>, <c>90d</c>) as <see cref="FieldReader.Duration"/> reads it.</summary>
public sealed partial class FieldReader
{
    public static bool TryParseDuration(string text, out TimeSpan value)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = default;
        text = text.Trim();
        if (text.Length == 0)
        {
            return false;
        }

        var unit = char.IsAsciiLetter(text[^1]) ? char.ToLowerInvariant(text[^1]) : 's';
        var number = char.IsAsciiLetter(text[^1]) ? text[..^1] : text;
        if (!long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > 100_000_000)
        {
            return false;
        }

        switch (unit)
        {
            case 's': value = TimeSpan.FromSeconds(n); return true;
            case 'm': value = TimeSpan.FromMinutes(n); return true;
            case 'h': value = TimeSpan.FromHours(n); return true;
            case 'd': value = TimeSpan.FromDays(n); return true;
            default: return false;
        }
    }

    private static string Describe(TimeSpan t)
        => t.TotalSeconds % 86400 == 0 ? $"{t.TotalDays:0}d"
            : t.TotalSeconds % 3600 == 0 ? $"{t.TotalHours:0}h"
            : t.TotalSeconds % 60 == 0 ? $"{t.TotalMinutes:0}m"
            : $"{t.TotalSeconds:0}s";
}
