using Basalt.Diagnostics.Reading;
using Basalt.Diagnostics;
using Basalt.ManagedConfig;

namespace Basalt.Deployment.Planning;

/// <summary>
/// One managed-configuration key/value a group's devices will get, in wire form, with the place in
/// <c>basalt.yaml</c> it came from. <see cref="ToString"/> never prints a secret. An entry is secret when it came
/// from a <c>${env:}</c>/<c>${file:}</c> reference or when <see cref="SecretRedactor"/> (the one notion of
/// "secret": secret keys, look-alike key names, user-info in URLs, token shapes) says so; that decides the file
/// mode of every generated file that holds it.
/// </summary>
public sealed record PlannedEntry(string Key, string Value, SourceLocation Location, bool IsSecret = false)
{
    public bool IsSecret { get; init; } = IsSecret || SecretRedactor.IsSecret(Key, Value);

    public override string ToString() => $"{Key}={(IsSecret ? FieldValue.Redacted : Value)}";
}
