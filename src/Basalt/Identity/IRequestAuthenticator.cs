namespace Basalt.Identity;

/// <summary>
/// One way of proving who a gateway caller is (configured API keys, managed keys, OIDC bearer tokens, the
/// gateway's own tokens, presigned AWS identities). The gateway tries its authenticators in order; the first that
/// recognises the credential decides (<see cref="AuthenticationOutcome.NotRecognised"/> passes to the next).
/// Runs before any upstream work; must not log the credential.
/// </summary>
public interface IRequestAuthenticator
{
    ValueTask<AuthenticationResult> AuthenticateAsync(AuthenticationRequest request, CancellationToken cancellationToken);
}
