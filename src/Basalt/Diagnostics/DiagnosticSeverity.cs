namespace Basalt.Diagnostics;

/// <summary>How bad a finding is. Errors make lint exit 1 and keep a device out of third-party mode.</summary>
public enum DiagnosticSeverity
{
    Info = 0,
    Warning = 1,
    Error = 2,
}
