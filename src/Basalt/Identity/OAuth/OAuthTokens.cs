namespace Basalt.Identity.OAuth;

/// <summary>A successful token response (RFC 6749 §5.1), or the error. Tokens are secrets: <see cref="ToString"/> redacts.</summary>
public sealed record OAuthTokens(string? AccessToken, string? RefreshToken, TimeSpan ExpiresIn, string Scope, OAuthError? Error)
{
    public static OAuthTokens Fail(OAuthError error) => new(null, null, TimeSpan.Zero, string.Empty, error);

    public override string ToString() => Error is null ? $"OAuthTokens {{ AccessToken = ***, RefreshToken = ***, ExpiresIn = {ExpiresIn} }}" : $"OAuthTokens {{ Error = {Error.Error} }}";
}
