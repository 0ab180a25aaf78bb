namespace Basalt.Cli.Tests.Deployment;

/// <summary>A systemd unit file read the way systemd reads it: sections of <c>Key=value</c> lines, keys repeatable.</summary>
internal sealed class SystemdUnit
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    public SystemdUnit(string text)
    {
        var section = string.Empty;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                section = line[1..^1];
                continue;
            }

            var eq = line.IndexOf('=', StringComparison.Ordinal);
            Assert.True(eq > 0, $"not a Key=value line: {line}");
            var key = $"{section}.{line[..eq]}";
            if (!_values.TryGetValue(key, out var list))
            {
                _values[key] = list = [];
            }

            list.Add(line[(eq + 1)..]);
        }
    }

    public static SystemdUnit Load(string path) => new(File.ReadAllText(path));

    /// <summary>Every value of <c>Section.Key</c>, in order (empty when absent).</summary>
    public IReadOnlyList<string> All(string key) => _values.TryGetValue(key, out var list) ? list : [];

    /// <summary>The effective value of <c>Section.Key</c> (the last one), or null.</summary>
    public string? Get(string key) => _values.TryGetValue(key, out var list) ? list[^1] : null;
}
