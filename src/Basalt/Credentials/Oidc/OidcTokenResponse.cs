namespace Basalt.Credentials.Oidc;

/// <summary>A successful token endpoint response (RFC 6749 §5.1). Every token is a secret; <see cref="ToString"/> redacts.</summary>
internal sealed record OidcTokenResponse(string? AccessToken, string? IdToken, string? RefreshToken, TimeSpan? ExpiresIn)
{
    public override string ToString()
        => $"OidcTokenResponse {{ AccessToken = {Mask(AccessToken)}, IdToken = {Mask(IdToken)}, RefreshToken = {Mask(RefreshToken)}, ExpiresIn = {ExpiresIn} }}";

    private static string Mask(string? value) => value is null ? "none" : "***";
}
