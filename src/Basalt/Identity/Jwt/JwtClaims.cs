using System.Text.Json;

namespace Basalt.Identity.Jwt;

/// <summary>
/// A verified JWT's claims. <see cref="RawToken"/> is a bearer secret, so <see cref="ToString"/> leaves it out.
/// Other claims (<c>oid</c>, <c>groups</c>, <c>name</c>, custom group claims) are read with <see cref="String"/>
/// and <see cref="Strings"/>.
/// </summary>
public sealed class JwtClaims
{
    private readonly JsonElement _payload;

    public JwtClaims(string rawToken, JsonElement payload)
    {
        RawToken = rawToken;
        _payload = payload;
        Issuer = String("iss") ?? string.Empty;
        Subject = String("sub");
        Audiences = Strings("aud");
        ExpiresAt = Time("exp");
        NotBefore = Time("nbf");
        IssuedAt = Time("iat");
    }

    public string RawToken { get; }

    public string Issuer { get; }

    public string? Subject { get; }

    public IReadOnlyList<string> Audiences { get; }

    public DateTimeOffset? ExpiresAt { get; }

    public DateTimeOffset? NotBefore { get; }

    public DateTimeOffset? IssuedAt { get; }

    public string? Email => String("email");

    public string? Nonce => String("nonce");

    /// <summary>A string claim, or null when absent or not a string.</summary>
    public string? String(string name)
        => _payload.ValueKind == JsonValueKind.Object && _payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A claim that may be one string or an array of strings (<c>aud</c>, <c>groups</c>, <c>roles</c>); non-strings are skipped.</summary>
    public IReadOnlyList<string> Strings(string name)
    {
        if (_payload.ValueKind != JsonValueKind.Object || !_payload.TryGetProperty(name, out var value))
        {
            return [];
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => [value.GetString()!],
            JsonValueKind.Array => [.. value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!)],
            _ => [],
        };
    }

    /// <summary>A NumericDate claim (RFC 7519 §2: seconds since the epoch, fractions allowed), or null.</summary>
    public DateTimeOffset? Time(string name)
    {
        if (_payload.ValueKind != JsonValueKind.Object || !_payload.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Number
            || !value.TryGetDouble(out var seconds) || seconds < 0 || seconds > 253402300799)
        {
            return null;
        }

        return DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
    }

    public override string ToString()
        => $"JwtClaims {{ Issuer = {Issuer}, Subject = {Subject}, Audiences = [{string.Join(", ", Audiences)}], ExpiresAt = {ExpiresAt:O}, RawToken = *** }}";
}
