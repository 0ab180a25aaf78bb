namespace Basalt.Identity;

/// <summary>
/// The gateway's ordered authenticators as one (CONTRACTS.md): the first that recognises the credential decides;
/// when none does, or there is no credential, the request is refused — never passed on unauthenticated.
/// </summary>
public sealed class AuthenticatorChain(IReadOnlyList<IRequestAuthenticator> authenticators) : IRequestAuthenticator
{
    public async ValueTask<AuthenticationResult> AuthenticateAsync(AuthenticationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(request.Credential))
        {
            return AuthenticationResult.Reject("no credential: send Authorization: Bearer <token> or x-api-key");
        }

        foreach (var authenticator in authenticators)
        {
            var result = await authenticator.AuthenticateAsync(request, cancellationToken).ConfigureAwait(false);
            if (result.Outcome != AuthenticationOutcome.NotRecognised)
            {
                return result;
            }
        }

        return AuthenticationResult.Reject("the credential is not one this gateway accepts (unknown key, or a token from an issuer that is not configured)");
    }
}
