namespace Basalt.Emulator.IdentityCenter;

/// <summary>A client registered with RegisterClient. ToString never prints the secret.</summary>
internal sealed record OidcClient(
    string ClientId,
    string ClientSecret,
    string ClientName,
    IReadOnlyList<string> Scopes,
    IReadOnlyList<string> GrantTypes,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt)
{
    /// <summary>
    /// Where <c>/authorize</c> may send the browser back to with a code (RegisterClient <c>redirectUris</c>, for the
    /// <c>authorization_code</c> grant); compared exactly, as an unchecked redirect is an open redirector.
    /// </summary>
    public IReadOnlyList<string> RedirectUris { get; init; } = [];

    /// <summary>
    /// IAM Identity Center only returns refresh tokens to clients registered with scopes (the AWS CLI's
    /// <c>sso-session</c> form) or that asked for the <c>refresh_token</c> grant; legacy clients get none.
    /// </summary>
    public bool GetsRefreshTokens => Scopes.Count > 0 || GrantTypes.Contains("refresh_token", StringComparer.Ordinal);

    public override string ToString() => $"OidcClient {{ ClientId = {ClientId}, ClientName = {ClientName}, ClientSecret = *** }}";
}
