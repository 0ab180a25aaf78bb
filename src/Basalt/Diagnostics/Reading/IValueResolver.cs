namespace Basalt.Diagnostics.Reading;

/// <summary>
/// Replaces references inside a scalar (the deployment file's <c>${env:NAME}</c> and <c>${file:path}</c>) when
/// <see cref="FieldReader"/> reads a string. A value that used a reference is secret from then on.
/// </summary>
public interface IValueResolver
{
    /// <summary>True when <paramref name="text"/> holds at least one reference.</summary>
    bool IsReference(string text);

    /// <summary>The text with references replaced, or null (with diagnostics) when one cannot be resolved.</summary>
    string? Resolve(string text, string keyPath, SourceLocation location, ICollection<Diagnostic> diagnostics, out bool usedReference);
}
