using System.Text;

namespace Basalt.Testing.Hostile;

/// <summary>
/// Grammar-aware mutations for the standing hostile corpus (issue 14): each case applies one to three operators
/// to a valid seed. Generic operators work on lines and bytes (delete, duplicate, re-indent, truncate, flip a
/// byte, insert invalid UTF-8, NUL, BOM, CRLF); format operators insert constructs of the seed's grammar that
/// hostile input uses (YAML alias bombs and self-aliases, XML entity bombs and external entities, deep nesting,
/// huge scalars, control characters, type confusion, references to devices and parent folders). Deterministic
/// for a seed, so a failing case can be replayed by its number.
/// </summary>
public sealed class HostileMutator(int seed)
{
    private readonly Random _random = new(seed);

    public enum Grammar
    {
        Yaml,
        Xml,
        Json,
        Reg,
        PowerShell,
    }

    /// <summary>One mutated input and the operators that made it (for the failure message).</summary>
    public sealed record Mutant(int Number, string Seed, string Operators, byte[] Content);

    public IEnumerable<Mutant> Generate(string seedName, byte[] seedContent, Grammar grammar, int count, int firstNumber = 0)
    {
        ArgumentNullException.ThrowIfNull(seedContent);
        for (var i = 0; i < count; i++)
        {
            var content = seedContent;
            var names = new List<string>();
            var operators = 1 + _random.Next(3);
            for (var k = 0; k < operators; k++)
            {
                var (name, next) = Mutate(content, grammar);
                names.Add(name);
                content = next;
            }

            yield return new Mutant(firstNumber + i, seedName, string.Join('+', names), content);
        }
    }

    private (string Name, byte[] Content) Mutate(byte[] content, Grammar grammar)
    {
        // Half of the operators are grammar constructs, half generic; structural damage is as likely as a valid-looking change.
        if (_random.Next(2) == 0)
        {
            var snippets = Snippets(grammar);
            var (name, snippet) = snippets[_random.Next(snippets.Count)];
            return (name, grammar == Grammar.Yaml && _random.Next(3) == 0 ? ReplaceValue(content, snippet) : InsertLine(content, snippet));
        }

        return _random.Next(14) switch
        {
            0 => ("delete-line", EditLines(content, l => l.RemoveAt(_random.Next(l.Count)))),
            1 => ("duplicate-line", EditLines(content, l => { var i = _random.Next(l.Count); l.Insert(i, l[i]); })),
            2 => ("swap-lines", EditLines(content, l => { var a = _random.Next(l.Count); var b = _random.Next(l.Count); (l[a], l[b]) = (l[b], l[a]); })),
            3 => ("indent", EditLines(content, l => { var i = _random.Next(l.Count); l[i] = new string(' ', 1 + _random.Next(6)) + l[i]; })),
            4 => ("dedent", EditLines(content, l => { var i = _random.Next(l.Count); l[i] = l[i].TrimStart(); })),
            5 => ("tab", EditLines(content, l => { var i = _random.Next(l.Count); l[i] = "\t" + l[i].TrimStart(); })),
            6 => ("truncate", content[.._random.Next(content.Length + 1)]),
            7 => ("flip-byte", Flip(content)),
            8 => ("invalid-utf8", InsertBytes(content, _random.Next(3) switch { 0 => [0xC3, 0x28], 1 => [0xFF], _ => [0xED, 0xA0, 0x80] })),
            9 => ("nul", InsertBytes(content, [0x00])),
            10 => ("bom", [0xEF, 0xBB, 0xBF, .. content]),
            11 => ("crlf", Encoding.UTF8.GetBytes(Text(content).Replace("\n", "\r\n", StringComparison.Ordinal))),
            12 => ("repeat-block", EditLines(content, l =>
            {
                var start = _random.Next(l.Count);
                var block = l.Skip(start).Take(1 + _random.Next(8)).ToList();
                for (var r = 0; r < 1 + _random.Next(50); r++)
                {
                    l.InsertRange(start, block);
                }
            })),
            _ => ("random-bytes", InsertBytes(content, Enumerable.Range(0, 1 + _random.Next(16)).Select(_ => (byte)_random.Next(256)).ToArray())),
        };
    }

    private List<(string, string)> Snippets(Grammar grammar) => grammar switch
    {
        Grammar.Yaml =>
        [
            ("alias-bomb", AliasBomb(2 + _random.Next(8))),
            ("self-alias", "loop: &loop [*loop]"),
            ("undefined-alias", "x: *nowhere"),
            ("merge-key", "m: &m {a: 1}\nn:\n  <<: *m"),
            ("deep-flow", "deep: " + new string('[', 10 + _random.Next(20_000)) + new string(']', _random.Next(3) == 0 ? 0 : 20_000)),
            ("deep-block", string.Concat(Enumerable.Range(0, 10 + _random.Next(200)).Select(i => new string(' ', i * 2) + "k" + i + ":\n"))),
            ("huge-scalar", "big: " + new string('x', _random.Next(2) == 0 ? 300_000 : 50_000)),
            ("control-char", "name: \"A" + Pick("\\a", "\\0", "\\e", "\\uFFFE", "\\x7f", "\\ud800") + "B\""),
            ("type-list", "[a, b]"),
            ("type-map", "{a: 1, b: [2]}"),
            ("type-null", "~"),
            ("type-bool", "true"),
            ("type-number", "-1e309"),
            ("file-device", "\"${file:/dev/zero}\""),
            ("file-parent", "\"${file:../../../etc/passwd}\""),
            ("file-absolute", "\"${file:/etc/hostname}\""),
            ("file-empty", "\"${file:}\""),
            ("env-missing", "\"${env:BASALT_HOSTILE_NOT_SET}\""),
            ("ref-unclosed", "\"${env:BEDROCK_API_KEY\""),
            ("ref-scheme", "\"${exec:rm -rf /}\""),
            ("unclosed-quote", "q: \"never closed"),
            ("unclosed-bracket", "q: [a, {b: 1"),
            ("second-document", "---\nother: doc"),
            ("tag", "t: !!binary aGVsbG8="),
            ("custom-tag", "t: !custom {a: 1}"),
            ("complex-key", "? [a, b]\n: value"),
            ("many-entries", "many:\n" + string.Concat(Enumerable.Range(0, _random.Next(2) == 0 ? 10_050 : 500).Select(i => $"  k{i}: {i}\n"))),
            ("long-key", new string('k', 5_000) + ": v"),
            ("duplicate-key", "name: one\nname: two"),
            ("anchor-everywhere", "a: &a1 {b: &b1 [&c1 x, *c1, *c1]}\nz: [*a1, *a1, *b1, *b1]"),
        ],
        Grammar.Xml =>
        [
            ("entity-bomb", "<!DOCTYPE plist [<!ENTITY a \"lol\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]>"),
            ("external-entity", "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><key>x</key><string>&e;</string>"),
            ("entity-ref", "<string>&undefined;</string>"),
            ("deep-dict", string.Concat(Enumerable.Repeat("<dict><key>k</key>", 10 + _random.Next(5_000))) ),
            ("deep-array", new string('x', 0) + string.Concat(Enumerable.Repeat("<array>", 10 + _random.Next(5_000)))),
            ("control-char", "<key>inferenceProvider</key><string>a&#7;b</string>"),
            ("raw-control", "<string>a\u0001b</string>"),
            ("huge-string", "<key>big</key><string>" + new string('x', 300_000) + "</string>"),
            ("wrong-type", Pick("<integer>abc</integer>", "<real>NaN</real>", "<date>not a date</date>", "<data>!!!notbase64</data>", "<true>x</true>")),
            ("duplicate-key", "<key>inferenceProvider</key><string>bedrock</string><key>inferenceProvider</key><string>gateway</string>"),
            ("unclosed", "<dict><key>x</key><string>"),
            ("cdata", "<string><![CDATA[ ]]> ]]></string>"),
            ("processing", "<?xml-stylesheet href=\"x\"?>"),
            ("binary-magic", "bplist00\u0000\u0001"),
            ("signed-looking", "0\u0082\u0001\u0000\u0006\t*\u0086H\u0086\u00f7\r\u0001\u0007\u0002"),
            ("secret-lookalike", "<key>inferenceBedrockBearerTokn</key><string>EXAMPLE-hostile-secret-value</string>"),
        ],
        Grammar.Json =>
        [
            ("deep", new string('[', 10 + _random.Next(20_000))),
            ("deep-object", string.Concat(Enumerable.Repeat("{\"a\":", 10 + _random.Next(5_000)))),
            ("duplicate-key", "\"inferenceProvider\": \"bedrock\", \"inferenceProvider\": \"gateway\","),
            ("huge-number", "\"n\": 1e99999999,"),
            ("lone-surrogate", "\"s\": \"\\ud800\","),
            ("comment", "/* comment */ // line"),
            ("trailing-comma", "\"a\": 1,,"),
            ("huge-string", "\"big\": \"" + new string('x', 300_000) + "\","),
            ("control-char", "\"c\": \"a\u0001b\","),
            ("type-confusion", Pick("\"inferenceModels\": 5,", "\"inferenceModels\": {\"a\":[]},", "\"inferenceProvider\": null,", "\"inferenceProvider\": [\"gateway\"],")),
            ("secret-lookalike", "\"inferenceGatewayApiKy\": \"EXAMPLE-hostile-secret-value\","),
            ("url-userinfo", "\"inferenceGatewayBaseUrl\": \"https://user:EXAMPLE-pass@gw.example.com\","),
        ],
        Grammar.Reg =>
        [
            ("continuation", "\"k\"=hex(7):" + string.Concat(Enumerable.Repeat("00,\\\r\n  ", 1 + _random.Next(2_000))) + "00"),
            ("unterminated", "\"k\"=\"never closed"),
            ("bad-escape", "\"k\"=\"a\\qb\""),
            ("unknown-hive", "[HKEY_NOWHERE\\SOFTWARE\\Policies\\Claude]"),
            ("delete-key", "[-HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Claude]"),
            ("dword-overflow", "\"k\"=dword:1ffffffff"),
            ("hex-garbage", "\"k\"=hex:zz,yy"),
            ("huge-value", "\"big\"=\"" + new string('x', 300_000) + "\""),
            ("deep-path", "[HKEY_LOCAL_MACHINE\\" + string.Join('\\', Enumerable.Repeat("a", 5_000)) + "]"),
            ("default-value", "@=\"x\""),
            ("header-only", "REGEDIT4"),
            ("secret-lookalike", "\"inferenceBedrockBearerTokn\"=\"EXAMPLE-hostile-secret-value\""),
        ],
        _ =>
        [
            ("unterminated-string", "$x = 'never closed"),
            ("here-string", "@'\nunterminated"),
            ("subexpression", "$(Remove-Item -Recurse C:\\)"),
            ("huge-line", "# " + new string('x', 300_000)),
            ("set-value", "Set-ItemProperty -Path $path -Name 'inferenceProvider' -Value \"`0`a\""),
            ("backtick", "Set-ItemProperty -Path $path -Name 'k' -Value 'a'`\n'b'"),
        ],
    };

    /// <summary>Nine-by-nine style alias nesting with <paramref name="levels"/> levels (issue 14 reproduction 1 at 9).</summary>
    public static string AliasBomb(int levels)
    {
        var s = new StringBuilder("bomb0: &bomb0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var n = 1; n < levels; n++)
        {
            s.Append("bomb").Append(n).Append(": &bomb").Append(n).Append(" [").Append(string.Join(",", Enumerable.Repeat($"*bomb{n - 1}", 9))).Append("]\n");
        }

        return s.ToString().TrimEnd('\n');
    }

    private string Pick(params string[] options) => options[_random.Next(options.Length)];

    private static string Text(byte[] content) => Encoding.UTF8.GetString(content);

    private byte[] EditLines(byte[] content, Action<List<string>> edit)
    {
        var lines = Text(content).Split('\n').ToList();
        if (lines.Count == 0)
        {
            lines.Add(string.Empty);
        }

        edit(lines);
        return Encoding.UTF8.GetBytes(string.Join('\n', lines));
    }

    private byte[] InsertLine(byte[] content, string snippet)
        => EditLines(content, l => l.Insert(_random.Next(l.Count + 1), snippet));

    /// <summary>Replaces the value of a random <c>key: value</c> line with <paramref name="snippet"/>, keeping the key.</summary>
    private byte[] ReplaceValue(byte[] content, string snippet)
        => EditLines(content, l =>
        {
            var candidates = Enumerable.Range(0, l.Count).Where(i => l[i].Contains(": ", StringComparison.Ordinal) && !l[i].TrimStart().StartsWith('#')).ToList();
            if (candidates.Count == 0)
            {
                l.Add(snippet);
                return;
            }

            var i = candidates[_random.Next(candidates.Count)];
            var colon = l[i].IndexOf(": ", StringComparison.Ordinal);
            l[i] = l[i][..(colon + 2)] + snippet.Replace("\n", " ", StringComparison.Ordinal);
        });

    private byte[] Flip(byte[] content)
    {
        if (content.Length == 0)
        {
            return [(byte)_random.Next(256)];
        }

        var copy = (byte[])content.Clone();
        copy[_random.Next(copy.Length)] ^= (byte)(1 << _random.Next(8));
        return copy;
    }

    private byte[] InsertBytes(byte[] content, byte[] bytes)
    {
        var at = _random.Next(content.Length + 1);
        return [.. content.AsSpan(0, at), .. bytes, .. content.AsSpan(at)];
    }
}
