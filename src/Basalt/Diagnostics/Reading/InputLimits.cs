namespace Basalt.Diagnostics.Reading;

/// <summary>
/// The bounds every reader of outside input works within: deployment files, <c>${file:}</c> secrets,
/// managed-configuration sources, emulator requests and gateway configuration. Going past one is an ordinary
/// diagnostic (<see cref="InputDiagnosticCodes.LimitExceeded"/>) at the place it happened, never an exception or
/// a memory spike. The defaults are far above any real file (the largest example deployment is ~4 KiB with
/// ~300 nodes, a full managed-configuration profile ~40 KiB) and far below what hurts a laptop: a hostile file
/// that stays inside all of them costs at most a few tens of MB and milliseconds (issue 14, measured by the
/// hostile corpus in tests/Basalt.Tests/Hostile).
/// </summary>
public sealed record InputLimits
{
    public static InputLimits Default { get; } = new();

    /// <summary>Bytes read from one input before the reader gives up (checked before decoding).</summary>
    public long MaxInputBytes { get; init; } = 4L * 1024 * 1024;

    /// <summary>Nesting of mappings and sequences; a real deployment file nests 5 deep.</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>
    /// Nodes in the document with every alias expanded where it is used. This is the alias/anchor expansion
    /// budget: nine levels of nine aliases (a 342-byte "billion laughs") expand to 387 million nodes and are
    /// refused after the first 100,000 without being built.
    /// </summary>
    public int MaxNodes { get; init; } = 100_000;

    /// <summary>Characters in one scalar or string value (a PEM bundle fits, a 50 MB organization name does not).</summary>
    public int MaxStringLength { get; init; } = 256 * 1024;

    /// <summary>Entries of one mapping or items of one sequence.</summary>
    public int MaxCollectionSize { get; init; } = 10_000;

    /// <summary>Bytes of one <c>${file:}</c> secret or other referenced file.</summary>
    public long MaxReferencedFileBytes { get; init; } = 1024 * 1024;
}
