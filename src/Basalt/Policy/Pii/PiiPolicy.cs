namespace Basalt.Policy.Pii;

/// <summary>
/// A group's PII policy (issue 12 item 2): what to do per category, which countries' national ids to look for,
/// custom patterns, and whether placeholders are put back in the answer the client sees.
/// </summary>
public sealed record PiiPolicy
{
    /// <summary>Categories not listed are not scanned for.</summary>
    public required IReadOnlyDictionary<PiiCategory, PiiAction> Actions { get; init; }

    /// <summary>ISO 3166 alpha-2 codes whose national ids are detected (supported: <c>US</c>, <c>GB</c>).</summary>
    public IReadOnlyList<string> NationalIdCountries { get; init; } = PiiScanner.NationalIdCountries;

    public IReadOnlyList<PiiCustomPattern> CustomPatterns { get; init; } = [];

    /// <summary>Put the original values back where the model repeats a placeholder (stream and non-stream).</summary>
    public bool RestoreInResponse { get; init; }

    /// <summary>Also scan the model's answer for secrets (keys, private keys) and mask them there.</summary>
    public bool ScanResponsesForSecrets { get; init; } = true;
}
