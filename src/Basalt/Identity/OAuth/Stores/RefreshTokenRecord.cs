namespace Basalt.Identity.OAuth.Stores;

/// <summary>One refresh token as stored: its hash, family, client and the principal it stands for.</summary>
public sealed record RefreshTokenRecord(
    string TokenHash,
    string FamilyId,
    string ClientId,
    Principal Principal,
    string Scope,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? RotatedAt);
