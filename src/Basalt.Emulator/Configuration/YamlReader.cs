using System.Globalization;
using Basalt.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Basalt.Emulator.Configuration;

/// <summary>
/// Typed reads over a YamlDotNet node tree that turn every problem into a <see cref="Diagnostic"/> with the file
/// and line of the offending node, then carry on, so one pass reports everything wrong with the file.
/// </summary>
internal sealed class YamlReader(string file, IList<Diagnostic> diagnostics)
{
    public string File { get; } = file;

    public IList<Diagnostic> Diagnostics { get; } = diagnostics;

    public SourceLocation Location(YamlNode node) => new(File, (int)node.Start.Line, (int)node.Start.Column);

    public void Error(string code, string key, YamlNode node, string message, string? fix = null)
        => Diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, code, message, key, Location(node), fix));

    public void Warning(string code, string key, YamlNode node, string message, string? fix = null)
        => Diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, code, message, key, Location(node), fix));

    /// <summary>Warns about keys nobody reads, so a typo (<c>acessKeys</c>) is not silently ignored.</summary>
    public void CheckKeys(YamlMappingNode map, string path, params string[] known)
    {
        foreach (var (k, _) in map.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? string.Empty;
            if (!known.Contains(name, StringComparer.Ordinal))
            {
                Warning(EmulatorDiagnosticCodes.UnknownKey, Join(path, name), k, $"unknown key '{name}'; it is ignored.", $"use one of: {string.Join(", ", known)}");
            }
        }
    }

    public static YamlNode? Get(YamlMappingNode map, string key)
        => map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    public static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    public string? String(YamlMappingNode map, string key, string path, bool required = false)
    {
        var node = Get(map, key);
        if (node is null)
        {
            if (required)
            {
                Error(EmulatorDiagnosticCodes.MissingKey, Join(path, key), map, $"'{key}' is required here.", $"add '{key}: ...' to this entry.");
            }

            return null;
        }

        if (node is YamlScalarNode { Value: { Length: > 0 } s })
        {
            return s;
        }

        Error(EmulatorDiagnosticCodes.WrongType, Join(path, key), node, $"expected a non-empty text value for '{key}'.");
        return null;
    }

    /// <summary>
    /// A duration as whole seconds (<c>3600</c>) or with a unit suffix (<c>45s</c>, <c>15m</c>, <c>12h</c>, <c>90d</c>),
    /// within [<paramref name="min"/>, <paramref name="max"/>].
    /// </summary>
    public TimeSpan? Duration(YamlMappingNode map, string key, string path, TimeSpan min, TimeSpan max)
    {
        var node = Get(map, key);
        if (node is null)
        {
            return null;
        }

        if (node is YamlScalarNode { Value: { } text } && TryParseDuration(text, out var value) && value >= min && value <= max)
        {
            return value;
        }

        Error(EmulatorDiagnosticCodes.InvalidValue, Join(path, key), node,
            $"expected a duration from {Describe(min)} to {Describe(max)} for '{key}'.",
            "write whole seconds (3600) or a number with s, m, h or d (15m, 12h).");
        return null;
    }

    public IReadOnlyList<string> StringList(YamlMappingNode map, string key, string path)
    {
        var node = Get(map, key);
        switch (node)
        {
            case null:
                return [];
            case YamlScalarNode { Value: { Length: > 0 } single }:
                return [single];
            case YamlSequenceNode seq:
                var list = new List<string>();
                foreach (var item in seq.Children)
                {
                    if (item is YamlScalarNode { Value: { Length: > 0 } v })
                    {
                        list.Add(v);
                    }
                    else
                    {
                        Error(EmulatorDiagnosticCodes.WrongType, Join(path, key), item, $"expected a list of text values for '{key}'.");
                    }
                }

                return list;
            default:
                Error(EmulatorDiagnosticCodes.WrongType, Join(path, key), node, $"expected a list of text values for '{key}'.");
                return [];
        }
    }

    public YamlMappingNode? Mapping(YamlMappingNode map, string key, string path)
    {
        var node = Get(map, key);
        if (node is null or YamlMappingNode)
        {
            return (YamlMappingNode?)node;
        }

        Error(EmulatorDiagnosticCodes.WrongType, Join(path, key), node, $"expected a mapping (key: value lines) under '{key}'.");
        return null;
    }

    /// <summary>Items of a sequence that are mappings; other items are reported.</summary>
    public IEnumerable<(YamlMappingNode Item, string Path)> MappingItems(YamlMappingNode map, string key, string path)
    {
        var node = Get(map, key);
        if (node is null)
        {
            yield break;
        }

        if (node is not YamlSequenceNode seq)
        {
            Error(EmulatorDiagnosticCodes.WrongType, Join(path, key), node, $"expected a list under '{key}' (lines starting with '- ').");
            yield break;
        }

        for (var i = 0; i < seq.Children.Count; i++)
        {
            if (seq.Children[i] is YamlMappingNode m)
            {
                yield return (m, $"{Join(path, key)}[{i}]");
            }
            else
            {
                Error(EmulatorDiagnosticCodes.WrongType, $"{Join(path, key)}[{i}]", seq.Children[i], "expected a mapping (key: value lines) in this list item.");
            }
        }
    }

    internal static bool TryParseDuration(string text, out TimeSpan value)
    {
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
