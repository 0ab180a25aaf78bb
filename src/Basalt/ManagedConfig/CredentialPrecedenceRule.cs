namespace Basalt.ManagedConfig;

/// <summary>
/// The order in which a provider picks among several configured credential sources when
/// <c>inferenceCredentialKind</c> is unset, for the app releases in [<see cref="From"/>, <see cref="Until"/>).
/// <see cref="Evidence"/> names the documentation page version the order comes from.
/// </summary>
public sealed record CredentialPrecedenceRule(
    string Id,
    InferenceProvider Provider,
    AppVersion? From,
    AppVersion? Until,
    IReadOnlyList<string> Order,
    string Evidence)
{
    public bool AppliesTo(AppVersion? version)
        => version is null ? Until is null : (From is null || version.Value >= From.Value) && (Until is null || version.Value < Until.Value);

    public string VersionRange => (From, Until) switch
    {
        (null, null) => "all versions",
        (null, { } u) => $"before {u}",
        ({ } f, null) => $"{f} and later",
        ({ } f, { } u) => $"{f} up to (not including) {u}",
    };
}
