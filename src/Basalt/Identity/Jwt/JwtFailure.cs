namespace Basalt.Identity.Jwt;

/// <summary>Why a JWT was refused (RFC 7519 §7.2, OpenID Connect Core §3.1.3.7, RFC 9068 §4).</summary>
public enum JwtFailure
{
    None = 0,
    Malformed,
    UnsupportedAlgorithm,
    UnknownKey,
    BadSignature,
    WrongIssuer,
    WrongAudience,
    Expired,
    NotYetValid,
    NonceMismatch,
    MissingClaim,
}
