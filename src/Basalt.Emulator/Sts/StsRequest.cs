using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;

namespace Basalt.Emulator.Sts;

/// <summary>The parameters of an awsQuery request: the form body merged over the query string (AWS accepts either).</summary>
internal sealed class StsRequest
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public StsRequest(string? rawQuery, string? formBody)
    {
        foreach (var source in new[] { rawQuery, formBody })
        {
            if (string.IsNullOrEmpty(source))
            {
                continue;
            }

            foreach (var (key, value) in QueryHelpers.ParseQuery(source))
            {
                _values[key] = value.ToString();
            }
        }
    }

    public string? Action => Get("Action");

    public string? Get(string name) => _values.TryGetValue(name, out var v) ? v : null;

    /// <summary>Reads a list member such as <c>Tags.member.1.Key</c> … <c>Tags.member.N.Key</c> until the numbering stops.</summary>
    public IReadOnlyList<string?> Members(string prefix, string? field = null)
    {
        var list = new List<string?>();
        for (var i = 1; i <= 1000; i++)
        {
            var key = field is null
                ? string.Create(CultureInfo.InvariantCulture, $"{prefix}.member.{i}")
                : string.Create(CultureInfo.InvariantCulture, $"{prefix}.member.{i}.{field}");
            var value = Get(key);
            if (value is null)
            {
                break;
            }

            list.Add(value);
        }

        return list;
    }

    /// <summary>True when any list member exists (used to tell an empty list from none).</summary>
    public bool HasMember(string prefix) => _values.Keys.Any(k => k.StartsWith(prefix + ".member.", StringComparison.Ordinal));
}
