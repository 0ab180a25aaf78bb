using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Basalt.Gateway.Managed;

/// <summary>
/// One group's answer at <c>/managed/settings</c>: <c>{"uuid","checksum","settings"}</c>. The checksum is the one
/// Claude Code computes over the settings it holds and sends as <c>If-None-Match: "&lt;checksum&gt;"</c> (its
/// function over the parsed settings: keys sorted at every level, <c>JSON.stringify</c> without whitespace,
/// <c>sha256:</c> + hex SHA-256 of the UTF-8 text), so the quoted checksum is also the ETag and a client that holds
/// the current settings gets a 304. <see cref="Canonical"/> reproduces what JavaScript prints: object keys that are
/// array indices first in numeric order (JavaScript objects enumerate them so), then the others in UTF-16 order;
/// strings escaped as <c>JSON.stringify</c> escapes them; numbers in ECMAScript's Number-to-String form.
/// </summary>
internal sealed class ManagedSettingsDocument
{
    private ManagedSettingsDocument(string uuid, string checksum, byte[] body)
    {
        Uuid = uuid;
        Checksum = checksum;
        ETag = "\"" + checksum + "\"";
        Body = body;
    }

    /// <summary>A stable id of the group's policy (name-based, so every replica and restart names it alike).</summary>
    public string Uuid { get; }

    public string Checksum { get; }

    public string ETag { get; }

    public byte[] Body { get; }

    public static ManagedSettingsDocument Create(string group, string settingsJson)
    {
        using var parsed = JsonDocument.Parse(settingsJson);
        var canonical = new StringBuilder();
        Canonical(parsed.RootElement, canonical);
        var settings = canonical.ToString();
        var checksum = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(settings)));

        // RFC 9562 §5.5-style name-based id: the hash of the group name with the version and variant bits set.
        var id = SHA256.HashData(Encoding.UTF8.GetBytes("basalt managed settings\n" + group)).AsSpan(0, 16).ToArray();
        id[6] = (byte)((id[6] & 0x0F) | 0x50);
        id[8] = (byte)((id[8] & 0x3F) | 0x80);
        var uuid = new Guid(id, bigEndian: true).ToString("D");

        var body = $"{{\"uuid\":\"{uuid}\",\"checksum\":\"{checksum}\",\"settings\":{settings}}}";
        return new ManagedSettingsDocument(uuid, checksum, Encoding.UTF8.GetBytes(body));
    }

    /// <summary>The settings as Claude Code's checksum function prints them (see the type's summary).</summary>
    internal static void Canonical(JsonElement element, StringBuilder into)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var properties = element.EnumerateObject().ToList();

                // Duplicate names: JSON.parse keeps the last one.
                var byName = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                foreach (var p in properties)
                {
                    byName[p.Name] = p.Value;
                }

                var names = byName.Keys.ToList();
                names.Sort(CompareKeys);
                into.Append('{');
                for (var i = 0; i < names.Count; i++)
                {
                    if (i > 0)
                    {
                        into.Append(',');
                    }

                    String(names[i], into);
                    into.Append(':');
                    Canonical(byName[names[i]], into);
                }

                into.Append('}');
                return;
            case JsonValueKind.Array:
                into.Append('[');
                var first = true;
                foreach (var item in element.EnumerateArray())
                {
                    if (!first)
                    {
                        into.Append(',');
                    }

                    first = false;
                    Canonical(item, into);
                }

                into.Append(']');
                return;
            case JsonValueKind.String:
                String(element.GetString()!, into);
                return;
            case JsonValueKind.Number:
                into.Append(Number(element.GetDouble()));
                return;
            case JsonValueKind.True:
                into.Append("true");
                return;
            case JsonValueKind.False:
                into.Append("false");
                return;
            default:
                into.Append("null");
                return;
        }
    }

    /// <summary>ECMAScript property order after <c>Object.keys(o).sort()</c> rebuilt into an object: array indices first.</summary>
    private static int CompareKeys(string a, string b)
    {
        var ia = ArrayIndex(a);
        var ib = ArrayIndex(b);
        return (ia, ib) switch
        {
            ({ } x, { } y) => x.CompareTo(y),
            ({ }, null) => -1,
            (null, { }) => 1,
            _ => string.CompareOrdinal(a, b),
        };
    }

    private static uint? ArrayIndex(string key)
        => key.Length is > 0 and <= 10 && (key == "0" || key[0] != '0') && uint.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n != uint.MaxValue ? n : null;

    /// <summary>ECMAScript JSON.stringify's QuoteJSONString (ES2019 well-formed: lone surrogates escaped).</summary>
    private static void String(string value, StringBuilder into)
    {
        into.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': into.Append("\\\""); break;
                case '\\': into.Append("\\\\"); break;
                case '\b': into.Append("\\b"); break;
                case '\f': into.Append("\\f"); break;
                case '\n': into.Append("\\n"); break;
                case '\r': into.Append("\\r"); break;
                case '\t': into.Append("\\t"); break;
                default:
                    if (c < 0x20
                        || (char.IsHighSurrogate(c) && (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1])))
                        || (char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(value[i - 1]))))
                    {
                        into.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        into.Append(c);
                    }

                    break;
            }
        }

        into.Append('"');
    }

    /// <summary>ECMAScript Number::toString(10) from the shortest round-trip digits .NET gives ("R").</summary>
    internal static string Number(double value)
    {
        if (value == 0)
        {
            return "0";
        }

        var negative = value < 0;
        var shortest = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);

        // Digits and exponent of the shortest form: "1.2345E+20" or "123.45" → digits "12345", n = position of the point.
        var parsed = shortest.Split('E');
        var mantissa = parsed[0];
        var exponent = parsed.Length > 1 ? int.Parse(parsed[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : 0;
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = point < 0 ? mantissa : mantissa.Remove(point, 1);
        var n = (point < 0 ? mantissa.Length : point) + exponent;
        var leading = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        n -= leading;
        var k = digits.Length;

        string text;
        if (k <= n && n <= 21)
        {
            text = digits + new string('0', n - k);
        }
        else if (0 < n && n <= 21)
        {
            text = digits[..n] + "." + digits[n..];
        }
        else if (-6 < n && n <= 0)
        {
            text = "0." + new string('0', -n) + digits;
        }
        else
        {
            var e = n - 1;
            text = (k == 1 ? digits : digits[..1] + "." + digits[1..]) + "e" + (e >= 0 ? "+" : "-") + Math.Abs(e).ToString(CultureInfo.InvariantCulture);
        }

        return negative ? "-" + text : text;
    }
}
