using System.Globalization;

namespace Basalt.Credentials.Settings;

/// <summary>
/// Durations in settings files: <c>"12h"</c>, <c>"90m"</c>, <c>"3600s"</c>, <c>"1h30m"</c>, or a bare number of
/// seconds; and back (<see cref="Format"/> writes the shortest such form).
/// </summary>
public static class DurationText
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        if (long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var bare))
        {
            value = TimeSpan.FromSeconds(bare);
            return true;
        }

        var total = TimeSpan.Zero;
        var i = 0;
        var lastRank = int.MaxValue;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }

            if (i == start || i >= s.Length || !long.TryParse(s.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                return false;
            }

            var (unit, rank) = char.ToLowerInvariant(s[i]) switch
            {
                'd' => (TimeSpan.FromDays(1), 3),
                'h' => (TimeSpan.FromHours(1), 2),
                'm' => (TimeSpan.FromMinutes(1), 1),
                's' => (TimeSpan.FromSeconds(1), 0),
                _ => (TimeSpan.Zero, -1),
            };
            if (rank < 0 || rank >= lastRank)
            {
                return false;
            }

            lastRank = rank;
            total += unit * n;
            i++;
        }

        value = total;
        return true;
    }

    public static string Format(TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            return "0s";
        }

        var parts = new System.Text.StringBuilder();
        var rest = value;
        foreach (var (unit, suffix) in new[] { (TimeSpan.FromDays(1), 'd'), (TimeSpan.FromHours(1), 'h'), (TimeSpan.FromMinutes(1), 'm'), (TimeSpan.FromSeconds(1), 's') })
        {
            var n = (long)(rest.Ticks / unit.Ticks);
            if (n > 0)
            {
                parts.Append(n.ToString(CultureInfo.InvariantCulture)).Append(suffix);
                rest -= unit * n;
            }
        }

        return parts.Length == 0 ? "0s" : parts.ToString();
    }
}
