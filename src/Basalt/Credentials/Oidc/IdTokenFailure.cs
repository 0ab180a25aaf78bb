namespace Basalt.Credentials.Oidc;

/// <summary>Why an ID token was rejected (OpenID Connect Core §3.1.3.7).</summary>
internal enum IdTokenFailure
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
