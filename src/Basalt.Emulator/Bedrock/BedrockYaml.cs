using System.Globalization;
using System.Text.Json;
using Basalt.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace Basalt.Emulator.Bedrock;

/// <summary>
/// Small typed readers over a YamlDotNet node tree for the <c>bedrock:</c> and <c>faults:</c> sections. Problems
/// become <see cref="Diagnostic"/>s with the file and line of the offending node (errors are values at the edges);
/// a reader returns null/default on a problem so that parsing continues and reports everything at once.
/// </summary>
internal sealed class BedrockYaml(string file, List<Diagnostic> diagnostics)
{
    public string File { get; } = file;

    public List<Diagnostic> Diagnostics { get; } = diagnostics;

    public SourceLocation Location(YamlNode node) => new(File, (int)node.Start.Line, (int)node.Start.Column);

    public void Error(string code, string key, YamlNode node, string message, string? fix = null)
        => Diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, code, message, key, Location(node), fix));

    public void Warning(string code, string key, YamlNode node, string message, string? fix = null)
        => Diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, code, message, key, Location(node), fix));

    /// <summary>Warns about keys this section does not know, so a typo (<c>tokensPerSecnd</c>) is not silently ignored.</summary>
    public void CheckKeys(YamlMappingNode map, string path, string code, params string[] known)
    {
        foreach (var (k, _) in map.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? string.Empty;
            if (!known.Contains(name, StringComparer.Ordinal))
            {
                Warning(code, $"{path}.{name}", k, $"unknown key '{name}'; it is ignored.", $"use one of: {string.Join(", ", known)}");
            }
        }
    }

    public static YamlNode? Get(YamlMappingNode map, string key)
        => map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    public string? String(YamlMappingNode map, string key, string path, string code)
    {
        var node = Get(map, key);
        if (node is null)
        {
            return null;
        }

        if (node is YamlScalarNode s)
        {
            return s.Value;
        }

        Error(code, $"{path}.{key}", node, $"expected a text value for '{key}'.");
        return null;
    }

    public int? Int(YamlMappingNode map, string key, string path, string code, int min, int max)
    {
        var node = Get(map, key);
        if (node is null)
        {
            return null;
        }

        if (node is YamlScalarNode { Value: { } v } && int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
        {
            return n;
        }

        Error(code, $"{path}.{key}", node, $"expected a whole number from {min} to {max} for '{key}'.");
        return null;
    }

    public double? Double(YamlMappingNode map, string key, string path, string code, double min, double max)
    {
        var node = Get(map, key);
        if (node is null)
        {
            return null;
        }

        if (node is YamlScalarNode { Value: { } v } && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
        {
            return n;
        }

        Error(code, $"{path}.{key}", node, $"expected a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)} for '{key}'.");
        return null;
    }

    public bool? Bool(YamlMappingNode map, string key, string path, string code)
    {
        var node = Get(map, key);
        if (node is null)
        {
            return null;
        }

        if (node is YamlScalarNode { Value: { } v } && bool.TryParse(v, out var b))
        {
            return b;
        }

        Error(code, $"{path}.{key}", node, $"expected true or false for '{key}'.");
        return null;
    }

    public List<string>? StringList(YamlMappingNode map, string key, string path, string code)
    {
        var node = Get(map, key);
        switch (node)
        {
            case null:
                return null;
            case YamlScalarNode { Value: { } single }:
                return [single];
            case YamlSequenceNode seq:
                var list = new List<string>();
                foreach (var item in seq.Children)
                {
                    if (item is YamlScalarNode { Value: { } v })
                    {
                        list.Add(v);
                    }
                    else
                    {
                        Error(code, $"{path}.{key}", item, $"expected a list of text values for '{key}'.");
                    }
                }

                return list;
            default:
                Error(code, $"{path}.{key}", node, $"expected a list of text values for '{key}'.");
                return null;
        }
    }

    public YamlMappingNode? Mapping(YamlMappingNode map, string key, string path, string code)
    {
        var node = Get(map, key);
        if (node is null or YamlMappingNode)
        {
            return (YamlMappingNode?)node;
        }

        Error(code, $"{path}.{key}", node, $"expected a mapping (key: value lines) under '{key}'.");
        return null;
    }

    /// <summary>Items of a sequence that are mappings; other items are reported.</summary>
    public IEnumerable<(YamlMappingNode Item, string Path)> MappingItems(YamlMappingNode map, string key, string path, string code)
    {
        var node = Get(map, key);
        if (node is null)
        {
            yield break;
        }

        if (node is not YamlSequenceNode seq)
        {
            Error(code, $"{path}.{key}", node, $"expected a list under '{key}' (lines starting with '- ').");
            yield break;
        }

        for (var i = 0; i < seq.Children.Count; i++)
        {
            if (seq.Children[i] is YamlMappingNode m)
            {
                yield return (m, $"{path}.{key}[{i}]");
            }
            else
            {
                Error(code, $"{path}.{key}[{i}]", seq.Children[i], "expected a mapping (key: value lines) in this list item.");
            }
        }
    }

    /// <summary>
    /// Converts a YAML value (e.g. a tool_use <c>input:</c>) to compact JSON. Plain scalars that read as numbers,
    /// booleans or null keep that type; quoted scalars stay strings, as in YAML 1.2's core schema.
    /// </summary>
    public static string ToJson(YamlNode node)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            WriteJson(writer, node);
        }

        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteJson(Utf8JsonWriter writer, YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                writer.WriteStartObject();
                foreach (var (k, v) in map.Children)
                {
                    writer.WritePropertyName(((YamlScalarNode)k).Value ?? string.Empty);
                    WriteJson(writer, v);
                }

                writer.WriteEndObject();
                break;
            case YamlSequenceNode seq:
                writer.WriteStartArray();
                foreach (var item in seq.Children)
                {
                    WriteJson(writer, item);
                }

                writer.WriteEndArray();
                break;
            case YamlScalarNode s:
                var text = s.Value ?? string.Empty;
                if (s.Style is YamlDotNet.Core.ScalarStyle.Plain)
                {
                    if (text is "null" or "~" or "")
                    {
                        writer.WriteNullValue();
                        break;
                    }

                    if (text is "true" or "false")
                    {
                        writer.WriteBooleanValue(text == "true");
                        break;
                    }

                    if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
                    {
                        writer.WriteNumberValue(l);
                        break;
                    }

                    if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
                    {
                        writer.WriteNumberValue(d);
                        break;
                    }
                }

                writer.WriteStringValue(text);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }
}
