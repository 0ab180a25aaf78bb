using System.Globalization;

namespace Basalt.Diagnostics.Reading;

/// <summary>
/// One node of structured outside input (YAML or JSON) with the place it was written. Readers build this small
/// immutable tree within <see cref="InputLimits"/> so that every later walk is bounded too, then
/// <see cref="FieldReader"/> reads typed values from it. Nodes reached through a YAML alias are shared, not
/// copied; the expansion was already counted against <see cref="InputLimits.MaxNodes"/> when the tree was built.
/// </summary>
public sealed class InputNode
{
    // Mappings with many entries get a lookup table so a 10,000-entry mapping read key by key stays linear.
    private const int IndexThreshold = 16;
    private Dictionary<string, int>? _index;

    private InputNode(InputNodeKind kind, SourceLocation location, string? scalar, bool isPlain,
        IReadOnlyList<KeyValuePair<InputNode, InputNode>> entries, IReadOnlyList<InputNode> items)
    {
        Kind = kind;
        Location = location;
        Scalar = scalar;
        IsPlain = isPlain;
        Entries = entries;
        Items = items;
    }

    public InputNodeKind Kind { get; }

    public SourceLocation Location { get; }

    /// <summary>The text of a scalar (null for mappings and sequences).</summary>
    public string? Scalar { get; }

    /// <summary>
    /// The scalar was written without quotes. Only plain scalars are read as booleans, numbers or null when a
    /// value is turned into JSON, so <c>"true"</c> stays a string the way YAML 1.2's core schema has it.
    /// </summary>
    public bool IsPlain { get; }

    /// <summary>Mapping entries in input order (keys are scalar nodes).</summary>
    public IReadOnlyList<KeyValuePair<InputNode, InputNode>> Entries { get; }

    public IReadOnlyList<InputNode> Items { get; }

    /// <summary>A plain <c>~</c>, <c>null</c> or empty scalar.</summary>
    public bool IsNull => Kind == InputNodeKind.Scalar && IsPlain && Scalar is "" or "~" or "null" or "Null" or "NULL";

    public static InputNode CreateScalar(string value, bool isPlain, SourceLocation location)
        => new(InputNodeKind.Scalar, location, value, isPlain, [], []);

    public static InputNode CreateMapping(IReadOnlyList<KeyValuePair<InputNode, InputNode>> entries, SourceLocation location)
        => new(InputNodeKind.Mapping, location, null, false, entries, []);

    public static InputNode CreateSequence(IReadOnlyList<InputNode> items, SourceLocation location)
        => new(InputNodeKind.Sequence, location, null, false, [], items);

    /// <summary>The value under <paramref name="key"/> in a mapping, or null.</summary>
    public InputNode? Get(string key) => IndexOf(key) is var i and >= 0 ? Entries[i].Value : null;

    /// <summary>The key node of <paramref name="key"/>, used to point diagnostics at the key rather than its value.</summary>
    public InputNode? GetKey(string key) => IndexOf(key) is var i and >= 0 ? Entries[i].Key : null;

    /// <summary>A copy of this mapping without <paramref name="keys"/> (other nodes are returned as they are).</summary>
    public InputNode Without(params string[] keys)
        => Kind != InputNodeKind.Mapping ? this
            : CreateMapping(Entries.Where(e => !keys.Contains(e.Key.Scalar, StringComparer.Ordinal)).ToList(), Location);

    /// <summary>A short description of the node's shape for "expected X, found Y" messages; never the value itself.</summary>
    public string Describe() => Kind switch
    {
        InputNodeKind.Mapping => "a mapping",
        InputNodeKind.Sequence => "a list",
        _ when IsNull => "an empty value",
        _ when IsPlain && (Scalar is "true" or "false") => "a boolean",
        _ when IsPlain && double.TryParse(Scalar, NumberStyles.Float, CultureInfo.InvariantCulture, out _) => "a number",
        _ => "a string",
    };

    private int IndexOf(string key)
    {
        if (Entries.Count < IndexThreshold)
        {
            for (var i = 0; i < Entries.Count; i++)
            {
                if (string.Equals(Entries[i].Key.Scalar, key, StringComparison.Ordinal))
                {
                    return i;
                }
            }

            return -1;
        }

        if (_index is null)
        {
            var index = new Dictionary<string, int>(Entries.Count, StringComparer.Ordinal);
            for (var i = 0; i < Entries.Count; i++)
            {
                index.TryAdd(Entries[i].Key.Scalar ?? string.Empty, i);
            }

            _index = index;
        }

        return _index.TryGetValue(key, out var found) ? found : -1;
    }
}
