namespace Basalt.Gateway.Doctor;

/// <summary>The outcome of one doctor check; any <see cref="Failed"/> makes the report (and the command) fail.</summary>
public enum DoctorStatus
{
    Ok,
    Warning,
    Failed,
    Skipped,
}
