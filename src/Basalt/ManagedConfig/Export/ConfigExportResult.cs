using Basalt.Diagnostics;

namespace Basalt.ManagedConfig.Export;

/// <summary>
/// What one export did: every problem found in the source (parse findings, values the target cannot carry), and
/// when nothing was an error, the files written. <see cref="ContainsSecret"/> says the output was created 0600.
/// </summary>
public sealed record ConfigExportResult(IReadOnlyList<Diagnostic> Diagnostics, IReadOnlyList<string> WrittenPaths)
{
    /// <summary>True when the output was written (no diagnostic was an error).</summary>
    public bool Success => !Diagnostics.Any(d => d.IsError);

    /// <summary>How many configuration values the output holds (0 for ADMX templates).</summary>
    public int ValueCount { get; init; }

    /// <summary>For an ADMX zip: the names of the files inside it (the folder form lists them in <see cref="WrittenPaths"/>).</summary>
    public IReadOnlyList<string> ArchiveEntries { get; init; } = [];

    /// <summary>True when a value is a credential, so the file was created with mode 0600.</summary>
    public bool ContainsSecret { get; init; }
}
