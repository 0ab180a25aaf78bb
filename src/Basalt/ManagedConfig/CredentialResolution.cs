namespace Basalt.ManagedConfig;

/// <summary>
/// Which credential the app would use, and why (cowork3p-reference §3). <see cref="Winner"/> is null when nothing
/// resolves (the app then stays out of third-party mode for providers that need a credential).
/// </summary>
public sealed record CredentialResolution(
    InferenceProvider Provider,
    CredentialSource? Winner,
    string? Kind,
    bool KindIsExplicit,
    CredentialPrecedenceRule? Rule,
    IReadOnlyList<CredentialSource> Losers,
    string Reason)
{
    /// <summary>Every configured source, winner first.</summary>
    public IEnumerable<CredentialSource> Present => Winner is null ? Losers : [Winner, .. Losers];
}
