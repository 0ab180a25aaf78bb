using System.Globalization;

namespace Basalt.Diagnostics.Reading;

/// <summary>
/// The one typed reader of outside input: reads a field of an <see cref="InputNode"/> tree as a mapping, string,
/// choice, boolean, number, duration or list and turns every problem into one <see cref="Diagnostic"/> (location,
/// key path, what was expected, how to fix it), then carries on so one pass reports everything. Used by the
/// deployment file's section readers, the emulator's configuration and the gateway's configuration; the trees
/// it reads were built within <see cref="InputLimits"/> by <see cref="YamlInputReader"/> or
/// <see cref="JsonInputReader"/>, so every read is bounded by construction.
/// </summary>
public sealed partial class FieldReader
{
    private readonly IValueResolver? _resolver;
    private readonly HashSet<InputNode> _scopeNodes = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<string> _secretValues = new(StringComparer.Ordinal);
    private string? _scopePrefix;

    public FieldReader(InputCodes codes, List<Diagnostic> diagnostics, IValueResolver? resolver = null)
    {
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(diagnostics);
        Codes = codes;
        Diagnostics = diagnostics;
        _resolver = resolver;
    }

    public InputCodes Codes { get; }

    /// <summary>
    /// String fields must be written as strings, not as numbers or booleans, and booleans as literals: for JSON
    /// inputs, where <c>"accountId": 012345678901</c> silently loses its leading zero and <c>"true"</c> is a string.
    /// YAML inputs leave it off (there <c>region: us-east-1</c> is a string without quotes).
    /// </summary>
    public bool QuotedStringsOnly { get; init; }

    /// <summary>
    /// A reader of the same input that reports with other codes, into the same diagnostics. For inputs whose
    /// sections (or fields) have codes of their own, such as the emulator's <c>bedrock:</c> section (EMU20xx) where
    /// each field's problems carry that field's code.
    /// </summary>
    public FieldReader WithCodes(InputCodes codes) => new(codes, Diagnostics, _resolver) { QuotedStringsOnly = QuotedStringsOnly };

    /// <summary>A reader whose missing, wrong-type and invalid-value problems all carry <paramref name="code"/>.</summary>
    public FieldReader WithCode(string code) => WithCodes(Codes with { MissingKey = code, WrongType = code, InvalidValue = code });

    public List<Diagnostic> Diagnostics { get; }

    public int ErrorCount => Diagnostics.Count(d => d.IsError);

    /// <summary>
    /// Marks the nodes under <paramref name="scopeNode"/> so their key paths carry <paramref name="prefix"/>
    /// (a deployment group's overrides are reported as <c>groups.NAME.…</c>, the text the user has to edit).
    /// </summary>
    public void EnterScope(string prefix, InputNode scopeNode)
    {
        ArgumentNullException.ThrowIfNull(scopeNode);
        _scopeNodes.Clear();
        _scopePrefix = prefix;
        var pending = new Stack<InputNode>();
        pending.Push(scopeNode);
        while (pending.Count > 0)
        {
            var node = pending.Pop();
            if (!_scopeNodes.Add(node))
            {
                continue; // shared through an alias: already collected
            }

            foreach (var (k, v) in node.Entries)
            {
                pending.Push(k);
                pending.Push(v);
            }

            foreach (var item in node.Items)
            {
                pending.Push(item);
            }
        }
    }

    public void LeaveScope()
    {
        _scopeNodes.Clear();
        _scopePrefix = null;
    }

    public string PathOf(InputNode node, string path) => _scopePrefix is not null && _scopeNodes.Contains(node) ? _scopePrefix + path : path;

    public static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    public void Error(string code, InputNode node, string path, string message, string? fix)
        => Diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, code, message, PathOf(node, path), node.Location, fix));

    public void Warning(string code, InputNode node, string path, string message, string? fix)
        => Diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, code, message, PathOf(node, path), node.Location, fix));

    /// <summary>Reports every key of <paramref name="mapping"/> that is not in <paramref name="allowed"/>, with a "did you mean".</summary>
    public void CheckKeys(InputNode mapping, string path, IReadOnlyCollection<string> allowed)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        ArgumentNullException.ThrowIfNull(allowed);
        foreach (var (key, _) in mapping.Entries)
        {
            var name = key.Scalar ?? string.Empty;
            if (allowed.Contains(name, StringComparer.Ordinal))
            {
                continue;
            }

            var suggestion = Suggest(name, allowed);
            var message = Codes.UnknownKeySeverity == DiagnosticSeverity.Error
                ? $"unknown key '{name}'; expected one of: {string.Join(", ", allowed)}"
                : $"unknown key '{name}'; it is ignored (expected one of: {string.Join(", ", allowed)})";
            var fix = suggestion is null ? $"remove '{name}' or move it to the section it belongs to" : $"did you mean '{suggestion}'?";
            Diagnostics.Add(new Diagnostic(Codes.UnknownKeySeverity, Codes.UnknownKey, message, PathOf(key, Join(path, name)), key.Location, fix));
        }
    }

    /// <summary>The mapping under <paramref name="key"/>, or null (with a diagnostic when present but not a mapping).</summary>
    public InputNode? Mapping(InputNode parent, string key, string path, bool required = false, string? fix = null)
    {
        ArgumentNullException.ThrowIfNull(parent);
        var node = parent.Get(key);
        var full = Join(path, key);
        if (node is null || node.IsNull)
        {
            if (required)
            {
                Error(Codes.MissingKey, parent, full, $"'{full}' is missing; expected a mapping", fix ?? $"add a '{key}:' section");
            }

            return null;
        }

        if (node.Kind != InputNodeKind.Mapping)
        {
            Error(Codes.WrongType, node, full, $"expected a mapping, found {node.Describe()}", $"write '{key}:' followed by indented 'name: value' lines");
            return null;
        }

        return node;
    }

    /// <summary>
    /// A string value with references resolved. <paramref name="secret"/> marks fields that hold credentials:
    /// they must be written as a reference, never inline.
    /// </summary>
    public FieldValue? String(InputNode parent, string key, string path, bool required = false, string? fix = null, bool secret = false)
    {
        ArgumentNullException.ThrowIfNull(parent);
        var node = parent.Get(key);
        var full = Join(path, key);
        if (node is null || node.IsNull)
        {
            if (required)
            {
                Error(Codes.MissingKey, node ?? parent, full, $"'{full}' is missing; expected a value", fix ?? $"add '{key}: <value>'");
            }

            return null;
        }

        return Scalar(node, full, secret);
    }

    /// <summary>Reads one scalar node (used for list items too).</summary>
    public FieldValue? Scalar(InputNode node, string full, bool secret = false)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node.Kind != InputNodeKind.Scalar)
        {
            Error(Codes.WrongType, node, full, $"expected a single value, found {node.Describe()}", "write the value on the same line after the colon");
            return null;
        }

        if (QuotedStringsOnly && node.IsPlain)
        {
            Error(Codes.WrongType, node, full, $"expected a string, found {node.Describe()}", "put the value in double quotes");
            return null;
        }

        var text = node.Scalar ?? string.Empty;
        if (secret && Codes.InlineSecret is { } inlineCode && !(_resolver?.IsReference(text) ?? false))
        {
            // The value itself is never echoed; only that it was written inline.
            Error(inlineCode, node, full,
                "a secret is written inline; expected a reference such as ${env:NAME} or ${file:path}",
                "move the secret to an environment variable or a file outside version control and reference it here");
            return null;
        }

        if (_resolver is null)
        {
            return new FieldValue(text, node.Location);
        }

        var resolved = _resolver.Resolve(text, PathOf(node, full), node.Location, Diagnostics, out var usedReference);
        if (resolved is not null && secret && TextRules.FirstUnrepresentable(resolved) is { } bad)
        {
            // A token with a line break (a file saved with CRLF, a pasted header) would be sent as two header lines
            // or cut by the client; say so without showing the value.
            Error(InputDiagnosticCodes.UnrepresentableCharacter, node, full, $"the secret contains {bad}; a credential is one line of printable text",
                "remove line breaks and control characters from the referenced value");
            return null;
        }

        if (resolved is not null && usedReference && resolved.Length >= 4)
        {
            _secretValues.Add(resolved);
        }

        return resolved is null ? null : new FieldValue(resolved, node.Location, usedReference);
    }

    /// <summary>
    /// A human-readable string that ends up inside generated files (profile names, descriptions): at most
    /// <paramref name="maxLength"/> characters and only characters every output format can carry
    /// (<see cref="TextRules"/>), reported here at the value's own line instead of as an invalid file later.
    /// </summary>
    public FieldValue? Text(InputNode parent, string key, string path, int maxLength = 1000, bool allowLineBreaks = false)
    {
        var value = String(parent, key, path);
        if (value is null)
        {
            return null;
        }

        var node = parent.Get(key)!;
        if (value.Value.Length > maxLength)
        {
            Error(InputDiagnosticCodes.LimitExceeded, node, Join(path, key), $"the text is {value.Value.Length:N0} characters long; expected at most {maxLength:N0}",
                "shorten it; it is shown in system settings and profile lists");
            return null;
        }

        if (TextRules.FirstUnrepresentable(value.Value, allowLineBreaks) is { } bad)
        {
            Error(InputDiagnosticCodes.UnrepresentableCharacter, node, Join(path, key),
                $"the text contains {bad}, which the generated files (XML profiles, registry, JSON) cannot carry", "remove the character (write plain text on one line)");
            return null;
        }

        return value;
    }

    /// <summary>
    /// <paramref name="diagnostics"/> with every value that came from a reference replaced by
    /// <see cref="FieldValue.Redacted"/>: checks that quote a value ("'x' is not a region") cannot leak a secret,
    /// whichever reader wrote them.
    /// </summary>
    public List<Diagnostic> Redact(IEnumerable<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(diagnostics);
        return diagnostics.Select(d => _secretValues.Count == 0 ? d : d with { Message = Hide(d.Message)!, Fix = Hide(d.Fix) }).ToList();

        string? Hide(string? text)
        {
            if (text is null)
            {
                return null;
            }

            foreach (var secret in _secretValues.OrderByDescending(v => v.Length))
            {
                text = text.Replace(secret, FieldValue.Redacted, StringComparison.Ordinal);
            }

            return text;
        }
    }

    /// <summary>An enum-like value from a fixed list of spellings.</summary>
    public string? Choice(InputNode parent, string key, string path, IReadOnlyList<string> allowed, string? defaultValue = null, bool required = false)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(allowed);
        var value = String(parent, key, path, required, $"add '{key}: {allowed[0]}' (one of {string.Join(", ", allowed)})");
        if (value is null)
        {
            return defaultValue;
        }

        if (allowed.Contains(value.Value, StringComparer.Ordinal))
        {
            return value.Value;
        }

        var suggestion = Suggest(value.Value, allowed);
        Error(Codes.InvalidValue, parent.Get(key)!, Join(path, key),
            value.IsSecret ? $"the value is not allowed; expected one of: {string.Join(", ", allowed)}" : $"'{value.Value}' is not allowed; expected one of: {string.Join(", ", allowed)}",
            suggestion is null ? $"use one of: {string.Join(", ", allowed)}" : $"did you mean '{suggestion}'?");
        return null;
    }

    public bool? Bool(InputNode parent, string key, string path)
    {
        ArgumentNullException.ThrowIfNull(parent);
        var node = parent.Get(key);
        if (node is null || node.IsNull)
        {
            return null;
        }

        if (node.Kind == InputNodeKind.Scalar && node.Scalar is "true" or "false" && (node.IsPlain || !QuotedStringsOnly))
        {
            return node.Scalar == "true";
        }

        Error(Codes.WrongType, node, Join(path, key), $"expected true or false, found {node.Describe()}", $"write '{key}: true' or '{key}: false'");
        return null;
    }

    public int? Int(InputNode parent, string key, string path, int min, int max)
    {
        ArgumentNullException.ThrowIfNull(parent);
        var node = parent.Get(key);
        if (node is null || node.IsNull)
        {
            return null;
        }

        if (node.Kind == InputNodeKind.Scalar
            && int.TryParse(node.Scalar, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            if (value >= min && value <= max)
            {
                return value;
            }

            Error(Codes.InvalidValue, node, Join(path, key), $"{value} is out of range; expected {min} to {max}", $"use a whole number between {min} and {max}");
            return null;
        }

        Error(Codes.WrongType, node, Join(path, key), $"expected a whole number, found {node.Describe()}", $"write '{key}: {min}' (a number between {min} and {max})");
        return null;
    }

    public double? Double(InputNode parent, string key, string path, double min, double max)
    {
        ArgumentNullException.ThrowIfNull(parent);
        var node = parent.Get(key);
        if (node is null || node.IsNull)
        {
            return null;
        }

        if (node.Kind == InputNodeKind.Scalar
            && double.TryParse(node.Scalar, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            if (value >= min && value <= max)
            {
                return value;
            }

            Error(Codes.InvalidValue, node, Join(path, key), $"{value.ToString(CultureInfo.InvariantCulture)} is out of range; expected {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}",
                $"use a number between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}");
            return null;
        }

        Error(Codes.WrongType, node, Join(path, key), $"expected a number, found {node.Describe()}", $"write '{key}: {min.ToString(CultureInfo.InvariantCulture)}'");
        return null;
    }

    /// <summary>
    /// A duration as whole seconds (<c>3600</c>) or with a unit suffix (<c>45s</c>, <c>15m</c>, <c>12h</c>, <c>90d</c>),
    /// within [<paramref name="min"/>, <paramref name="max"/>].
    /// </summary>
    public TimeSpan? Duration(InputNode parent, string key, string path, TimeSpan min, TimeSpan max)
    {
        ArgumentNullException.ThrowIfNull(parent);
        var node = parent.Get(key);
        if (node is null || node.IsNull)
        {
            return null;
        }

        if (node.Kind == InputNodeKind.Scalar && TryParseDuration(node.Scalar!, out var value) && value >= min && value <= max)
        {
            return value;
        }

        Error(Codes.InvalidValue, node, Join(path, key), $"expected a duration from {Describe(min)} to {Describe(max)}",
            "write whole seconds (3600) or a number with s, m, h or d (15m, 12h)");
        return null;
    }

    /// <summary>A list of strings (a single scalar is accepted as a one-item list).</summary>
    public List<FieldValue>? StringList(InputNode parent, string key, string path)
    {
        ArgumentNullException.ThrowIfNull(parent);
        var node = parent.Get(key);
        return node is null || node.IsNull ? null : StringListOf(node, Join(path, key), key);
    }

    /// <summary>A list of strings from <paramref name="node"/> itself (a scalar is a one-item list).</summary>
    public List<FieldValue>? StringListOf(InputNode node, string full, string key)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node.Kind == InputNodeKind.Scalar)
        {
            return Scalar(node, full) is { } single ? [single] : null;
        }

        if (node.Kind != InputNodeKind.Sequence)
        {
            Error(Codes.WrongType, node, full, $"expected a list, found {node.Describe()}", $"write '{key}: [a, b]' or one '- item' per line");
            return null;
        }

        var items = new List<FieldValue>(node.Items.Count);
        for (var i = 0; i < node.Items.Count; i++)
        {
            if (Scalar(node.Items[i], $"{full}[{i}]") is { } item)
            {
                items.Add(item);
            }
        }

        return items;
    }

    /// <summary>Items of the list under <paramref name="key"/> that are mappings; other items are reported.</summary>
    public IEnumerable<(InputNode Item, string Path)> MappingItems(InputNode parent, string key, string path)
    {
        ArgumentNullException.ThrowIfNull(parent);
        var node = parent.Get(key);
        var full = Join(path, key);
        if (node is null || node.IsNull)
        {
            yield break;
        }

        if (node.Kind != InputNodeKind.Sequence)
        {
            Error(Codes.WrongType, node, full, $"expected a list, found {node.Describe()}", "write one '- ' item per line");
            yield break;
        }

        for (var i = 0; i < node.Items.Count; i++)
        {
            if (node.Items[i].Kind == InputNodeKind.Mapping)
            {
                yield return (node.Items[i], $"{full}[{i}]");
            }
            else
            {
                Error(Codes.WrongType, node.Items[i], $"{full}[{i}]", $"expected a mapping, found {node.Items[i].Describe()}", "write 'key: value' lines in this list item");
            }
        }
    }

    /// <summary>The closest spelling within a small edit distance, for "did you mean".</summary>
    public static string? Suggest(string text, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(candidates);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            // Only near lengths can be near spellings; this also keeps a hostile 256 KiB key from costing a large table.
            if (Math.Abs(candidate.Length - text.Length) > 3)
            {
                continue;
            }

            var d = EditDistance.Between(text.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (d < bestDistance)
            {
                bestDistance = d;
                best = candidate;
            }
        }

        return bestDistance <= Math.Max(1, Math.Min(3, text.Length / 3)) ? best : null;
    }
}
