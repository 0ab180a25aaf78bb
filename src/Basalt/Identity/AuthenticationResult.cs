namespace Basalt.Identity;

/// <summary>
/// An authenticator's answer. <see cref="Reason"/> is safe to return to the caller and to log: it names what is
/// wrong (expired, wrong audience, revoked) and never contains the credential.
/// </summary>
public sealed record AuthenticationResult(AuthenticationOutcome Outcome, Principal? Principal, string? Reason)
{
    public static AuthenticationResult NotRecognised { get; } = new(AuthenticationOutcome.NotRecognised, null, null);

    public static AuthenticationResult Success(Principal principal) => new(AuthenticationOutcome.Authenticated, principal, null);

    public static AuthenticationResult Reject(string reason) => new(AuthenticationOutcome.Rejected, null, reason);
}
