namespace Basalt.Credentials.IdentityCenter;

/// <summary>
/// Which IAM Identity Center sign-in a token belongs to: the start URL and home region, the AWS CLI
/// <c>sso-session</c> name when there is one (it names the cache file), and the registration scopes.
/// </summary>
internal sealed record SsoSessionConfig(string StartUrl, string Region, string? SessionName, IReadOnlyList<string>? Scopes)
{
    /// <summary>The scope <c>aws configure sso</c> registers by default; it is what makes Identity Center issue
    /// refresh tokens, so a silent refresh is possible.</summary>
    public static IReadOnlyList<string> DefaultScopes { get; } = ["sso:account:access"];

    public string TokenKey => SsoTokenCache.TokenKey(StartUrl, SessionName);

    public string RegistrationKey => SsoTokenCache.RegistrationKey(StartUrl, Region, SessionName, Scopes);
}
