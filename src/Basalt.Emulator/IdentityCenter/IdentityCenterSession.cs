namespace Basalt.Emulator.IdentityCenter;

/// <summary>
/// A signed-in Identity Center user: the access token the portal accepts and the refresh token that renews it.
/// Refreshing rotates both (the old refresh token stops working). ToString never prints tokens.
/// </summary>
internal sealed class IdentityCenterSession(string accessToken, string? refreshToken, string clientId, string userName, DateTimeOffset accessExpiresAt, DateTimeOffset refreshExpiresAt)
{
    public string AccessToken { get; } = accessToken;

    public string? RefreshToken { get; } = refreshToken;

    public string ClientId { get; } = clientId;

    public string UserName { get; } = userName;

    public DateTimeOffset AccessExpiresAt { get; } = accessExpiresAt;

    public DateTimeOffset RefreshExpiresAt { get; } = refreshExpiresAt;

    /// <summary>Set by Logout or by a refresh that replaced this session.</summary>
    public bool Revoked { get; set; }

    public override string ToString() => $"IdentityCenterSession {{ User = {UserName}, ClientId = {ClientId}, AccessExpiresAt = {AccessExpiresAt:O}, Revoked = {Revoked} }}";
}
