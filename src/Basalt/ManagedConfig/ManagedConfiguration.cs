using Basalt.Diagnostics;

namespace Basalt.ManagedConfig;

/// <summary>
/// Everything read from one or more managed-configuration sources, before any precedence is applied:
/// every entry keeps its own location (so HKLM and HKCU values can both be present and the validator decides
/// which one the app sees), plus the problems met while parsing.
/// </summary>
public sealed class ManagedConfiguration
{
    public ManagedConfiguration(ConfigPlatform platform, IReadOnlyList<ConfigEntry> entries, IReadOnlyList<Diagnostic> parseDiagnostics)
    {
        Platform = platform;
        Entries = entries;
        ParseDiagnostics = parseDiagnostics;
    }

    public ConfigPlatform Platform { get; }

    public IReadOnlyList<ConfigEntry> Entries { get; }

    public IReadOnlyList<Diagnostic> ParseDiagnostics { get; }

    /// <summary>
    /// Nothing could be read from the source: no entries and at least one error (missing file, unknown format,
    /// garbage, an empty file, broken XML). <c>config report</c> exits 1 when every source is like this.
    /// </summary>
    public bool CouldNotBeRead => Entries.Count == 0 && ParseDiagnostics.Any(d => d.IsError);

    public static ManagedConfiguration Empty(ConfigPlatform platform) => new(platform, [], []);
}
