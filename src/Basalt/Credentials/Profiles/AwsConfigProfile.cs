using Basalt.Diagnostics;

namespace Basalt.Credentials.Profiles;

/// <summary>
/// A named profile or <c>sso-session</c> as the AWS CLI sees it after merging the config and credentials files.
/// Values are kept as strings; nested blocks (<c>s3 =\n  key = v</c>) are in <see cref="GetNested"/>.
/// </summary>
public sealed class AwsConfigProfile
{
    private readonly Dictionary<string, (string Value, SourceLocation Location, IReadOnlyDictionary<string, string>? Nested)> _values = new(StringComparer.Ordinal);

    internal AwsConfigProfile(string name, SourceLocation location)
    {
        Name = name;
        Location = location;
    }

    public string Name { get; }

    /// <summary>Where the section starts (the credentials file's section when the profile only lives there).</summary>
    public SourceLocation Location { get; }

    public IEnumerable<string> Keys => _values.Keys;

    public bool Contains(string key) => _values.ContainsKey(key);

    /// <summary>The value, or null when the key is absent. An empty value (<c>key =</c>) is returned as empty.</summary>
    public string? Get(string key) => _values.TryGetValue(key, out var v) ? v.Value : null;

    public IReadOnlyDictionary<string, string>? GetNested(string key) => _values.TryGetValue(key, out var v) ? v.Nested : null;

    public SourceLocation LocationOf(string key) => _values.TryGetValue(key, out var v) ? v.Location : Location;

    internal void Set(string key, AwsIniValue value, string path)
        => _values[key] = (value.Value, new SourceLocation(path, value.Line), value.Nested);

    internal AwsConfigProfile CloneAs(string name)
    {
        var copy = new AwsConfigProfile(name, Location);
        foreach (var (k, v) in _values)
        {
            copy._values[k] = v;
        }

        return copy;
    }

    public override string ToString() => $"profile {Name} ({Location})";
}
