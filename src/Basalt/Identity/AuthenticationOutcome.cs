namespace Basalt.Identity;

public enum AuthenticationOutcome
{
    /// <summary>The credential is valid; <see cref="AuthenticationResult.Principal"/> is set.</summary>
    Authenticated,

    /// <summary>This authenticator does not handle this kind of credential; try the next one.</summary>
    NotRecognised,

    /// <summary>The credential is of this authenticator's kind but invalid, expired or revoked: answer 401.</summary>
    Rejected,
}
