using Basalt.Diagnostics.Reading;
using Basalt.Diagnostics;

namespace Basalt.Deployment;

/// <summary>
/// One managed-configuration key from the <c>policy</c> or <c>telemetry</c> section, already in wire form
/// (every value is a string on the wire; JSON kinds hold compact JSON text, cowork3p-reference §1.1).
/// </summary>
public sealed record ConfigSetting(string Key, string WireValue, SourceLocation Location, bool IsSecret = false)
{
    public override string ToString() => $"{Key}={(IsSecret ? FieldValue.Redacted : WireValue)}";
}
