namespace Basalt.Diagnostics.Reading;

/// <summary>
/// A string read from outside input (after any <c>${env:}</c>/<c>${file:}</c> resolution) with where it was
/// written. <see cref="ToString"/> never prints a secret.
/// </summary>
public sealed record FieldValue(string Value, SourceLocation Location, bool IsSecret = false)
{
    public const string Redacted = "<redacted>";

    public override string ToString() => IsSecret ? Redacted : Value;
}
