namespace Basalt.Diagnostics;

/// <summary>
/// One problem found in input, reported as a value rather than thrown (ARCHITECTURE.md, "Errors are values at
/// the edges"). <paramref name="Code"/> is a stable id (e.g. <c>BSL1001</c>) that tests and docs refer to;
/// <paramref name="Key"/> is the configuration key or field path; <paramref name="Fix"/> says how to repair it.
/// Messages never contain secret values.
/// </summary>
public sealed record Diagnostic(
    DiagnosticSeverity Severity,
    string Code,
    string Message,
    string? Key = null,
    SourceLocation? Location = null,
    string? Fix = null)
{
    public bool IsError => Severity == DiagnosticSeverity.Error;

    public override string ToString()
    {
        var prefix = Location is null ? string.Empty : Location + ": ";
        var key = Key is null ? string.Empty : $" [{Key}]";
        var fix = Fix is null ? string.Empty : $" Fix: {Fix}";
        return $"{prefix}{Severity.ToString().ToLowerInvariant()} {Code}{key}: {Message}{fix}";
    }
}
