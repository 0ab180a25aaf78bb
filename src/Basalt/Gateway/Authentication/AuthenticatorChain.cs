using Basalt.Identity;

namespace Basalt.Gateway.Authentication;

/// <summary>
/// The ordered chain of <see cref="IRequestAuthenticator"/>s (CONTRACTS.md): the first that recognises the
/// credential decides; nobody recognising it is a rejection (401).
/// </summary>
public sealed class AuthenticatorChain
{
    private readonly IReadOnlyList<IRequestAuthenticator> _authenticators;

    public AuthenticatorChain(IEnumerable<IRequestAuthenticator> authenticators)
    {
        ArgumentNullException.ThrowIfNull(authenticators);
        _authenticators = [.. authenticators];
    }

    public async ValueTask<AuthenticationResult> AuthenticateAsync(AuthenticationRequest request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.Credential))
        {
            return AuthenticationResult.Reject("no credential: send 'Authorization: Bearer <key>' or 'x-api-key: <key>'");
        }

        foreach (var authenticator in _authenticators)
        {
            var result = await authenticator.AuthenticateAsync(request, cancellationToken).ConfigureAwait(false);
            if (result.Outcome != AuthenticationOutcome.NotRecognised)
            {
                return result;
            }
        }

        return AuthenticationResult.Reject("invalid API key or token");
    }
}
