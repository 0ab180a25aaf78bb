using System.Text;
using Basalt.ManagedConfig;

namespace Basalt.Tests.ManagedConfig.Formats;

/// <summary>
/// Seeded generator of valid configurations for property tests (FsCheck is not available here): catalogue keys
/// and a few unknown ones, values drawn from pieces that stress every format's escaping (quotes of all kinds,
/// backslashes, XML metacharacters, CR/LF/tab, non-BMP characters, leading/trailing spaces) and, for JSON-typed
/// keys, JSON documents with arbitrary whitespace.
/// </summary>
internal static class RandomConfigurations
{
    private static readonly string[] Pieces =
    [
        "a", "Z", "0", "9", " ", "-", "_", ".", ":", "/", "\\", "\\\\", "\"", "'", "''", "\u2018", "\u2019", "\u201A", "&", "&amp;", "<", ">",
        "]]>", "\t", "\n", "\r", "\r\n", "é", "日本", "😀", "=", "@", "$", "$(x)", "{", "}", "[", "]", ",", ";", "%APPDATA%", "`", "#",
        "https://gw.example.com/v1", "true", "3600", "bedrock", "[char]10", "+", "(", ")", "-", "\u00A0", "\u2028",
    ];

    public static List<KeyValuePair<string, string>> Create(Random random)
    {
        var catalogue = KeyCatalogue.All;
        // The catalogue holds names that differ only in case (enduserAttribution / endUserAttribution), which are
        // one value in the registry; a configuration carries one of them.
        var keys = catalogue.Select(k => k.Name).DistinctBy(n => n.ToUpperInvariant()).OrderBy(_ => random.Next()).Take(random.Next(0, Math.Min(25, catalogue.Count))).ToList();
        for (var i = random.Next(0, 3); i > 0; i--)
        {
            // Keys the catalogue does not know must survive too: readers never filter by name.
            var extra = random.Next(3) switch { 0 => "customKey" + random.Next(1000), 1 => "inferenceGatewayOidc.clientId", _ => "x_" + random.Next(1000) };
            if (!keys.Contains(extra, StringComparer.OrdinalIgnoreCase))
            {
                keys.Insert(random.Next(keys.Count + 1), extra);
            }
        }

        return keys.Select(k => new KeyValuePair<string, string>(k, Value(random, KeyCatalogue.Find(k)))).ToList();
    }

    public static string Value(Random random, KeyDefinition? key)
    {
        if (key?.IsJson == true && random.Next(4) != 0)
        {
            var sb = new StringBuilder();
            WriteJson(sb, random, 0, forceContainer: true);
            return sb.ToString();
        }

        return RandomString(random);
    }

    public static string RandomString(Random random)
    {
        var sb = new StringBuilder();
        for (var n = random.Next(0, 10); n > 0; n--)
        {
            sb.Append(Pieces[random.Next(Pieces.Length)]);
        }

        return sb.ToString();
    }

    private static void WriteJson(StringBuilder sb, Random random, int depth, bool forceContainer = false)
    {
        var kind = forceContainer ? random.Next(2) : random.Next(depth > 2 ? 2 : 5) + 2;
        switch (kind)
        {
            case 0:
                sb.Append('[');
                for (var i = random.Next(0, 4); i > 0; i--)
                {
                    Space(sb, random);
                    WriteJson(sb, random, depth + 1);
                    Space(sb, random);
                    if (i > 1)
                    {
                        sb.Append(',');
                    }
                }

                sb.Append(']');
                break;
            case 1:
                sb.Append('{');
                var count = random.Next(0, 4);
                for (var i = 0; i < count; i++)
                {
                    Space(sb, random);
                    sb.Append(System.Text.Json.JsonSerializer.Serialize("k" + i + RandomString(random)));
                    Space(sb, random);
                    sb.Append(':');
                    Space(sb, random);
                    WriteJson(sb, random, depth + 1);
                    if (i + 1 < count)
                    {
                        sb.Append(',');
                    }
                }

                sb.Append('}');
                break;
            case 2:
            case 3:
                sb.Append(System.Text.Json.JsonSerializer.Serialize(RandomString(random)));
                break;
            case 4:
                sb.Append(random.Next(-1000, 100000));
                break;
            case 5:
                sb.Append(random.Next(2) == 0 ? "true" : "null");
                break;
            default:
                WriteJson(sb, random, depth + 1, forceContainer: true);
                break;
        }
    }

    private static void Space(StringBuilder sb, Random random)
    {
        sb.Append(random.Next(4) switch { 0 => " ", 1 => "\n  ", 2 => "\t", _ => string.Empty });
    }
}
