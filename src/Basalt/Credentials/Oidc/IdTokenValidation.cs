namespace Basalt.Credentials.Oidc;

/// <summary>The outcome of <see cref="IdTokenValidator.Validate"/>: claims, or a failure with a message that never quotes the token.</summary>
internal sealed record IdTokenValidation(IdTokenClaims? Claims, IdTokenFailure Failure, string Message)
{
    public bool IsValid => Claims is not null;

    public static IdTokenValidation Valid(IdTokenClaims claims) => new(claims, IdTokenFailure.None, "valid");

    public static IdTokenValidation Invalid(IdTokenFailure failure, string message) => new(null, failure, message);
}
