namespace Basalt.Diagnostics.Reading;

public sealed partial class FieldReader
{
    /// <summary>
    /// The entries of <paramref name="mapping"/> whose value is a mapping (named sections such as upstreams, models,
    /// groups): each with its key node, name and path; an entry that is not a mapping is reported with
    /// <paramref name="fix"/>. The one place the "expected a mapping under this name" check is written.
    /// </summary>
    public IEnumerable<(InputNode Key, string Name, InputNode Value, string Path)> NamedMappings(InputNode mapping, string path, string fix)
    {
        ArgumentNullException.ThrowIfNull(mapping);
        foreach (var (key, value) in mapping.Entries)
        {
            var name = key.Scalar ?? string.Empty;
            var full = Join(path, name);
            if (value.Kind != InputNodeKind.Mapping)
            {
                Error(Codes.WrongType, value, full, $"expected a mapping, found {value.Describe()}", fix);
                continue;
            }

            yield return (key, name, value, full);
        }
    }
}
