namespace Basalt.Diagnostics.Reading;

/// <summary>
/// The diagnostic codes one family of inputs uses for the problems every typed read can find (deployment files
/// use BSL70xx, the emulator's configuration BSL40xx). Limits and encoding problems use
/// <see cref="InputDiagnosticCodes"/> everywhere.
/// </summary>
public sealed record InputCodes(
    string Syntax,
    string DuplicateKey,
    string Empty,
    string UnknownKey,
    string MissingKey,
    string WrongType,
    string InvalidValue)
{
    /// <summary>Unknown keys are errors in deployment files (a typo must not pass) and warnings where they are ignored harmlessly.</summary>
    public DiagnosticSeverity UnknownKeySeverity { get; init; } = DiagnosticSeverity.Error;

    /// <summary>Code for a secret written inline where a reference was required (null: no secret fields in this input).</summary>
    public string? InlineSecret { get; init; }
}
