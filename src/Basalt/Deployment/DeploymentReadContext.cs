using System.Globalization;
using Basalt.Deployment.Secrets;
using Basalt.Deployment.Yaml;
using Basalt.Diagnostics;

namespace Basalt.Deployment;

/// <summary>
/// Reading helpers shared by the deployment-file parser: typed reads with one diagnostic per problem (location,
/// key path, what was expected, how to fix it), unknown-key detection with a "did you mean", and secret
/// reference resolution. Nodes that came from a group's overrides get a <c>groups.NAME.</c> key-path prefix so
/// the path names the text the user has to edit.
/// </summary>
internal sealed class DeploymentReadContext
{
    private readonly SecretReferenceResolver _resolver;
    private readonly HashSet<DeploymentNode> _groupNodes = new(ReferenceEqualityComparer.Instance);
    private string? _groupPrefix;

    public DeploymentReadContext(SecretReferenceResolver resolver, List<Diagnostic> diagnostics)
    {
        _resolver = resolver;
        Diagnostics = diagnostics;
    }

    public List<Diagnostic> Diagnostics { get; }

    /// <summary>The model catalogue with this file's <c>modelCatalogue:</c> overrides (DeploymentModelCatalogue).</summary>
    public Basalt.Bedrock.Models.ModelCatalogue Catalogue { get; set; } = Basalt.Bedrock.Models.ModelCatalogue.Default;

    /// <summary>Marks the nodes of a group's override section so their key paths carry the group prefix.</summary>
    public void EnterGroup(string groupName, DeploymentNode groupNode)
    {
        _groupNodes.Clear();
        _groupPrefix = $"groups.{groupName}.";
        Collect(groupNode);
    }

    public void LeaveGroup()
    {
        _groupNodes.Clear();
        _groupPrefix = null;
    }

    public string PathOf(DeploymentNode node, string path) => _groupPrefix is not null && _groupNodes.Contains(node) ? _groupPrefix + path : path;

    public void Error(string code, DeploymentNode node, string path, string message, string fix)
        => Diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, code, message, PathOf(node, path), node.Location, fix));

    public void Warning(string code, DeploymentNode node, string path, string message, string fix)
        => Diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, code, message, PathOf(node, path), node.Location, fix));

    /// <summary>Reports every key of <paramref name="mapping"/> that is not in <paramref name="allowed"/>.</summary>
    public void CheckKeys(DeploymentNode mapping, string path, IReadOnlyList<string> allowed)
    {
        foreach (var (key, _) in mapping.Entries)
        {
            var name = key.Scalar ?? string.Empty;
            if (allowed.Contains(name, StringComparer.Ordinal))
            {
                continue;
            }

            var suggestion = Suggest(name, allowed);
            Error(DeploymentDiagnosticCodes.UnknownKey, key, Join(path, name),
                $"unknown key '{name}'; expected one of: {string.Join(", ", allowed)}",
                suggestion is null ? $"remove '{name}' or move it to the section it belongs to" : $"did you mean '{suggestion}'?");
        }
    }

    public static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    /// <summary>The mapping under <paramref name="key"/>, or null (with a diagnostic when present but not a mapping).</summary>
    public DeploymentNode? Mapping(DeploymentNode parent, string key, string path, bool required = false, string? fix = null)
    {
        var node = parent.Get(key);
        var full = Join(path, key);
        if (node is null || node.IsNull)
        {
            if (required)
            {
                Error(DeploymentDiagnosticCodes.MissingKey, parent, full, $"'{full}' is missing; expected a mapping", fix ?? $"add a '{key}:' section");
            }

            return null;
        }

        if (node.Kind != DeploymentNodeKind.Mapping)
        {
            Error(DeploymentDiagnosticCodes.WrongType, node, full, $"expected a mapping, found {node.Describe()}", $"write '{key}:' followed by indented 'name: value' lines");
            return null;
        }

        return node;
    }

    /// <summary>
    /// A string value with references resolved. <paramref name="secret"/> marks fields that hold credentials:
    /// they must be written as a reference, never inline.
    /// </summary>
    public DeploymentValue? String(DeploymentNode parent, string key, string path, bool required = false, string? fix = null, bool secret = false)
    {
        var node = parent.Get(key);
        var full = Join(path, key);
        if (node is null || node.IsNull)
        {
            if (required)
            {
                Error(DeploymentDiagnosticCodes.MissingKey, node ?? parent, full, $"'{full}' is missing; expected a value", fix ?? $"add '{key}: <value>'");
            }

            return null;
        }

        return Scalar(node, full, secret);
    }

    /// <summary>Reads one scalar node (used for list items too).</summary>
    public DeploymentValue? Scalar(DeploymentNode node, string full, bool secret = false)
    {
        if (node.Kind != DeploymentNodeKind.Scalar)
        {
            Error(DeploymentDiagnosticCodes.WrongType, node, full, $"expected a single value, found {node.Describe()}", "write the value on the same line after the colon");
            return null;
        }

        var text = node.Scalar ?? string.Empty;
        if (secret && !SecretReferenceResolver.ContainsReference(text))
        {
            // The value itself is never echoed; only that it was written inline.
            Error(DeploymentDiagnosticCodes.InlineSecret, node, full,
                "a secret is written inline; expected a reference such as ${env:NAME} or ${file:path}",
                "move the secret to an environment variable or a file outside version control and reference it here");
            return null;
        }

        var resolved = _resolver.Resolve(text, PathOf(node, full), node.Location, Diagnostics, out var usedReference);
        return resolved is null ? null : new DeploymentValue(resolved, node.Location, usedReference);
    }

    /// <summary>An enum-like value from a fixed list of spellings.</summary>
    public string? Choice(DeploymentNode parent, string key, string path, IReadOnlyList<string> allowed, string? defaultValue = null, bool required = false)
    {
        var value = String(parent, key, path, required, $"add '{key}: {allowed[0]}' (one of {string.Join(", ", allowed)})");
        if (value is null)
        {
            return defaultValue;
        }

        if (allowed.Contains(value.Value, StringComparer.Ordinal))
        {
            return value.Value;
        }

        var node = parent.Get(key)!;
        var suggestion = Suggest(value.Value, allowed);
        Error(DeploymentDiagnosticCodes.InvalidValue, node, Join(path, key),
            $"'{value.Value}' is not allowed; expected one of: {string.Join(", ", allowed)}",
            suggestion is null ? $"use one of: {string.Join(", ", allowed)}" : $"did you mean '{suggestion}'?");
        return null;
    }

    public bool? Bool(DeploymentNode parent, string key, string path)
    {
        var node = parent.Get(key);
        if (node is null || node.IsNull)
        {
            return null;
        }

        if (node.Kind == DeploymentNodeKind.Scalar && node.Scalar is "true" or "false")
        {
            return node.Scalar == "true";
        }

        Error(DeploymentDiagnosticCodes.WrongType, node, Join(path, key), $"expected true or false, found {node.Describe()}", $"write '{key}: true' or '{key}: false'");
        return null;
    }

    public int? Int(DeploymentNode parent, string key, string path, int min, int max)
    {
        var node = parent.Get(key);
        if (node is null || node.IsNull)
        {
            return null;
        }

        if (node.Kind == DeploymentNodeKind.Scalar
            && int.TryParse(node.Scalar, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            if (value >= min && value <= max)
            {
                return value;
            }

            Error(DeploymentDiagnosticCodes.InvalidValue, node, Join(path, key), $"{value} is out of range; expected {min} to {max}", $"use a whole number between {min} and {max}");
            return null;
        }

        Error(DeploymentDiagnosticCodes.WrongType, node, Join(path, key), $"expected a whole number, found {node.Describe()}", $"write '{key}: {min}' (a number between {min} and {max})");
        return null;
    }

    /// <summary>A list of plain strings (a single scalar is accepted as a one-item list).</summary>
    public List<DeploymentValue>? StringList(DeploymentNode parent, string key, string path)
    {
        var node = parent.Get(key);
        if (node is null || node.IsNull)
        {
            return null;
        }

        var full = Join(path, key);
        if (node.Kind == DeploymentNodeKind.Scalar)
        {
            return Scalar(node, full) is { } single ? [single] : null;
        }

        if (node.Kind != DeploymentNodeKind.Sequence)
        {
            Error(DeploymentDiagnosticCodes.WrongType, node, full, $"expected a list, found {node.Describe()}", $"write '{key}: [a, b]' or one '- item' per line");
            return null;
        }

        var items = new List<DeploymentValue>(node.Items.Count);
        for (var i = 0; i < node.Items.Count; i++)
        {
            if (Scalar(node.Items[i], $"{full}[{i}]") is { } item)
            {
                items.Add(item);
            }
        }

        return items;
    }

    /// <summary>The closest spelling within edit distance 3, for "did you mean".</summary>
    public static string? Suggest(string text, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            var d = Distance(text.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (d < bestDistance)
            {
                bestDistance = d;
                best = candidate;
            }
        }

        return bestDistance <= Math.Max(1, Math.Min(3, text.Length / 3)) ? best : null;
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private void Collect(DeploymentNode node)
    {
        _groupNodes.Add(node);
        foreach (var (k, v) in node.Entries)
        {
            Collect(k);
            Collect(v);
        }

        foreach (var item in node.Items)
        {
            Collect(item);
        }
    }
}
