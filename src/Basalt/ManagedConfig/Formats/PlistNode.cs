namespace Basalt.ManagedConfig.Formats;

/// <summary>
/// One property-list value with the line it started on (0 for binary plists, which have no lines). Parsing
/// into this small tree first keeps the profile interpretation independent of XML vs binary encoding.
/// </summary>
internal abstract record PlistNode(int Line);

internal sealed record PlistString(string Value, int Line) : PlistNode(Line);

/// <summary><c>&lt;integer&gt;</c> or <c>&lt;real&gt;</c>; <see cref="Text"/> is the literal (normalized for binary plists).</summary>
internal sealed record PlistNumber(string Text, bool IsInteger, int Line) : PlistNode(Line);

internal sealed record PlistBoolean(bool Value, int Line) : PlistNode(Line);

/// <summary><c>&lt;date&gt;</c> or <c>&lt;data&gt;</c>: kept as text, the app cannot read either as a setting.</summary>
internal sealed record PlistOther(string Kind, string Text, int Line) : PlistNode(Line);

internal sealed record PlistArray(IReadOnlyList<PlistNode> Items, int Line) : PlistNode(Line);

internal sealed record PlistDict(IReadOnlyList<PlistMember> Members, int Line) : PlistNode(Line)
{
    public PlistNode? Get(string key)
    {
        for (var i = Members.Count - 1; i >= 0; i--)
        {
            if (Members[i].Key == key)
            {
                return Members[i].Value;
            }
        }

        return null;
    }

    public string? GetString(string key) => Get(key) is PlistString s ? s.Value : null;
}

internal sealed record PlistMember(string Key, int KeyLine, PlistNode Value);
