namespace Basalt.Credentials.Oidc;

/// <summary>
/// A verified ID token and the claims Basalt uses. <see cref="RawToken"/> is a bearer secret (STS accepts it as
/// proof of identity), so <see cref="ToString"/> leaves it out.
/// </summary>
internal sealed record IdTokenClaims
{
    public required string RawToken { get; init; }

    public required string Issuer { get; init; }

    public required string Subject { get; init; }

    public required IReadOnlyList<string> Audiences { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public DateTimeOffset? IssuedAt { get; init; }

    public string? Email { get; init; }

    public string? Nonce { get; init; }

    public override string ToString()
        => $"IdTokenClaims {{ Issuer = {Issuer}, Subject = {Subject}, Audiences = [{string.Join(", ", Audiences)}], ExpiresAt = {ExpiresAt:O}, RawToken = *** }}";
}
