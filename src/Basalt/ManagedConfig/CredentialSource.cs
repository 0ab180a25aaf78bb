namespace Basalt.ManagedConfig;

/// <summary>
/// One way a provider can obtain a credential (cowork3p-reference §3.1): the credential kind it corresponds to and the
/// keys that make it up. <see cref="Keys"/> is empty for implicit sources (gateway-as-authorization-server,
/// Google ADC, Anthropic browser sign-in) that need no key.
/// </summary>
public sealed record CredentialSource(string Id, string Kind, string DisplayName, IReadOnlyList<string> Keys)
{
    public override string ToString() => Keys.Count == 0 ? $"{DisplayName} ({Kind})" : $"{DisplayName} ({Kind}: {string.Join(", ", Keys)})";
}
