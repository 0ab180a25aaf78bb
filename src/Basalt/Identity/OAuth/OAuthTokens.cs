namespace Basalt.Identity.OAuth;

/// <summary>A successful token response (RFC 6749 §5.1), or the error. Tokens are secrets: <see cref="ToString"/> redacts.</summary>
public sealed record OAuthTokens(string? AccessToken, string? RefreshToken, TimeSpan ExpiresIn, string Scope, OAuthError? Error)
{
    /// <summary>
    /// The signed-in person's email, sent as the <c>email</c> extension of the token response: Claude Code shows it
    /// and asks the person to confirm the account before it stores the credential (its embedded gateway contract,
    /// "Token — required"). Null when the IdP gave none.
    /// </summary>
    public string? Email { get; init; }

    public static OAuthTokens Fail(OAuthError error) => new(null, null, TimeSpan.Zero, string.Empty, error);

    public override string ToString() => Error is null ? $"OAuthTokens {{ AccessToken = ***, RefreshToken = ***, ExpiresIn = {ExpiresIn} }}" : $"OAuthTokens {{ Error = {Error.Error} }}";
}
