namespace Basalt.Emulator.Options;

/// <summary>
/// An OIDC identity provider a role trusts: tokens must be issued by <see cref="Issuer"/> (the <c>iss</c> claim),
/// carry one of <see cref="Audiences"/> in <c>aud</c>, and be signed by a key from the issuer's JWKS, fetched from
/// <c>{Issuer}/.well-known/openid-configuration</c> → <c>jwks_uri</c>, or read from <see cref="JwksFile"/>.
/// <see cref="Subjects"/>, when not empty, limits the <c>sub</c> claims allowed (<c>*</c> matches any run of characters).
/// </summary>
public sealed record WebIdentityTrust
{
    public required string Issuer { get; init; }

    public IReadOnlyList<string> Audiences { get; init; } = [];

    public IReadOnlyList<string> Subjects { get; init; } = [];

    public string? JwksFile { get; init; }
}
