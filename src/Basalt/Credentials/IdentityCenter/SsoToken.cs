namespace Basalt.Credentials.IdentityCenter;

/// <summary>
/// An IAM Identity Center access token as the AWS CLI v2 caches it in <c>~/.aws/sso/cache/&lt;sha1&gt;.json</c>
/// (bedrock-and-clients §4). The registration fields travel with the token so that a refresh needs no other file.
/// </summary>
internal sealed record SsoToken(
    string StartUrl,
    string Region,
    string AccessToken,
    DateTimeOffset ExpiresAt,
    string? ClientId = null,
    string? ClientSecret = null,
    DateTimeOffset? RegistrationExpiresAt = null,
    string? RefreshToken = null)
{
    /// <summary>True when a refresh-token grant is possible at <paramref name="now"/> (botocore
    /// <c>SSOTokenProvider._refresh_access_token</c>: all four fields present, registration not expired).</summary>
    public bool CanRefresh(DateTimeOffset now)
        => RefreshToken is not null && ClientId is not null && ClientSecret is not null && RegistrationExpiresAt is { } r && r > now;

    public override string ToString() => $"SsoToken {{ StartUrl = {StartUrl}, Region = {Region}, ExpiresAt = {ExpiresAt:O}, AccessToken = ***, RefreshToken = {(RefreshToken is null ? "none" : "***")} }}";
}

/// <summary>An OIDC client registration (RegisterClient), cached by the AWS CLI in its own file.</summary>
internal sealed record SsoClientRegistration(string ClientId, string ClientSecret, DateTimeOffset ExpiresAt, IReadOnlyList<string>? Scopes)
{
    public override string ToString() => $"SsoClientRegistration {{ ClientId = {ClientId}, ClientSecret = ***, ExpiresAt = {ExpiresAt:O} }}";
}
