namespace Basalt.Credentials.Oidc;

/// <summary>
/// What an ID token must say to be accepted: who issued it, for whom, the sign-in's <c>nonce</c> (null on the
/// refresh grant, where OIDC Core §12.2 has no nonce), and the time window with its allowed clock skew.
/// </summary>
internal sealed record IdTokenExpectations(string Issuer, string Audience, string ClientId, string? Nonce, DateTimeOffset Now, TimeSpan ClockSkew)
{
    /// <summary>A laptop clock a little off must not break sign-in; more than this is a real problem worth reporting.</summary>
    public static readonly TimeSpan DefaultClockSkew = TimeSpan.FromMinutes(2);
}
