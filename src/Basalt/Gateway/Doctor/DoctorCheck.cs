namespace Basalt.Gateway.Doctor;

/// <summary>
/// One check of a running deployment: what was checked (<paramref name="Name"/>, e.g. <c>tls</c>, <c>model sonnet</c>,
/// <c>settings engineering/claude-code</c>), its outcome, what was seen, and for a failure how to fix it. Never holds
/// a secret: credentials are named by where they came from, not by value.
/// </summary>
public sealed record DoctorCheck(string Name, DoctorStatus Status, string Detail, string? Fix = null);
