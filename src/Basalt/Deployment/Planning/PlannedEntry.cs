using Basalt.Diagnostics.Reading;
using Basalt.Diagnostics;

namespace Basalt.Deployment.Planning;

/// <summary>
/// One managed-configuration key/value a group's devices will get, in wire form, with the place in
/// <c>basalt.yaml</c> it came from. <see cref="ToString"/> never prints a secret.
/// </summary>
public sealed record PlannedEntry(string Key, string Value, SourceLocation Location, bool IsSecret = false)
{
    public override string ToString() => $"{Key}={(IsSecret ? FieldValue.Redacted : Value)}";
}
