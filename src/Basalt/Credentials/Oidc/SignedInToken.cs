namespace Basalt.Credentials.Oidc;

/// <summary>
/// A verified ID token ready for STS, with the identity it names (for the role session name) and whether it came
/// from the cache (then an <c>ExpiredTokenException</c> from STS is worth one retry with a fresh token).
/// </summary>
internal sealed record SignedInToken(string IdToken, string Subject, string? Email, bool FromCache)
{
    public override string ToString() => $"SignedInToken {{ Subject = {Subject}, Email = {Email}, FromCache = {FromCache}, IdToken = *** }}";
}
