namespace Basalt.Identity.Jwt;

/// <summary>
/// The JWS algorithms (RFC 7518 §3.1) Basalt verifies. Only asymmetric ones: a verifier that accepted HMAC could be
/// fed a token "signed" with the issuer's public key as the HMAC secret, and <c>none</c> is no signature at all.
/// </summary>
public static class JwtAlgorithms
{
    /// <summary>What IdPs sign ID and access tokens with (issue 9 item 2): RS256, PS256, ES256.</summary>
    public static readonly IReadOnlySet<string> Default = new HashSet<string>(["RS256", "PS256", "ES256"], StringComparer.Ordinal);

    /// <summary>Every asymmetric JWS algorithm, as STS accepts for web identity tokens.</summary>
    public static readonly IReadOnlySet<string> AllAsymmetric = new HashSet<string>(
        ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"], StringComparer.Ordinal);

    /// <summary>The key type (RFC 7517 §4.1 <c>kty</c>) an algorithm needs.</summary>
    public static string KeyType(string alg) => alg.StartsWith("ES", StringComparison.Ordinal) ? "EC" : "RSA";
}
