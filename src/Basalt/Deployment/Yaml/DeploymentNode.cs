using System.Globalization;
using Basalt.Diagnostics;

namespace Basalt.Deployment.Yaml;

/// <summary>
/// One node of <c>basalt.yaml</c> with the place it was written. The file is read with YamlDotNet's
/// representation model (never reflection deserialization) and copied into this small immutable tree so that
/// group overrides can be merged over the top-level sections while every value keeps its own file:line:column.
/// </summary>
public sealed class DeploymentNode
{
    private DeploymentNode(DeploymentNodeKind kind, SourceLocation location, string? scalar, bool isPlain,
        IReadOnlyList<KeyValuePair<DeploymentNode, DeploymentNode>> entries, IReadOnlyList<DeploymentNode> items)
    {
        Kind = kind;
        Location = location;
        Scalar = scalar;
        IsPlain = isPlain;
        Entries = entries;
        Items = items;
    }

    public DeploymentNodeKind Kind { get; }

    public SourceLocation Location { get; }

    /// <summary>The text of a scalar (null for mappings and sequences).</summary>
    public string? Scalar { get; }

    /// <summary>
    /// The scalar was written without quotes. Only plain scalars are read as booleans, numbers or null when a
    /// value is turned into JSON, so <c>"true"</c> stays a string the way YAML 1.2's core schema has it.
    /// </summary>
    public bool IsPlain { get; }

    /// <summary>Mapping entries in file order (keys are scalar nodes).</summary>
    public IReadOnlyList<KeyValuePair<DeploymentNode, DeploymentNode>> Entries { get; }

    public IReadOnlyList<DeploymentNode> Items { get; }

    /// <summary>A plain <c>~</c>, <c>null</c> or empty scalar.</summary>
    public bool IsNull => Kind == DeploymentNodeKind.Scalar && IsPlain && Scalar is "" or "~" or "null" or "Null" or "NULL";

    public static DeploymentNode CreateScalar(string value, bool isPlain, SourceLocation location)
        => new(DeploymentNodeKind.Scalar, location, value, isPlain, [], []);

    public static DeploymentNode CreateMapping(IReadOnlyList<KeyValuePair<DeploymentNode, DeploymentNode>> entries, SourceLocation location)
        => new(DeploymentNodeKind.Mapping, location, null, false, entries, []);

    public static DeploymentNode CreateSequence(IReadOnlyList<DeploymentNode> items, SourceLocation location)
        => new(DeploymentNodeKind.Sequence, location, null, false, [], items);

    /// <summary>The value under <paramref name="key"/> in a mapping, or null.</summary>
    public DeploymentNode? Get(string key)
    {
        foreach (var (k, v) in Entries)
        {
            if (string.Equals(k.Scalar, key, StringComparison.Ordinal))
            {
                return v;
            }
        }

        return null;
    }

    /// <summary>The key node of <paramref name="key"/>, used to point diagnostics at the key rather than its value.</summary>
    public DeploymentNode? GetKey(string key)
    {
        foreach (var (k, _) in Entries)
        {
            if (string.Equals(k.Scalar, key, StringComparison.Ordinal))
            {
                return k;
            }
        }

        return null;
    }

    /// <summary>A short description of the node's shape for "expected X, found Y" messages; never the value itself.</summary>
    public string Describe() => Kind switch
    {
        DeploymentNodeKind.Mapping => "a mapping",
        DeploymentNodeKind.Sequence => "a list",
        _ when IsNull => "an empty value",
        _ when IsPlain && (Scalar is "true" or "false") => "a boolean",
        _ when IsPlain && double.TryParse(Scalar, NumberStyles.Float, CultureInfo.InvariantCulture, out _) => "a number",
        _ => "a string",
    };
}
