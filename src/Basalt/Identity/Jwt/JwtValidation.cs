namespace Basalt.Identity.Jwt;

/// <summary>The outcome of <see cref="JwtValidator"/>: claims, or a failure with a message that never quotes the token.</summary>
public sealed record JwtValidation(JwtClaims? Claims, JwtFailure Failure, string Message)
{
    public bool IsValid => Claims is not null;

    /// <summary>A failure that a fresh copy of the issuer's keys could fix (the issuer rotated its keys).</summary>
    public bool KeysMayBeStale => Failure is JwtFailure.UnknownKey or JwtFailure.BadSignature;

    public static JwtValidation Valid(JwtClaims claims) => new(claims, JwtFailure.None, "valid");

    public static JwtValidation Invalid(JwtFailure failure, string message) => new(null, failure, message);
}
