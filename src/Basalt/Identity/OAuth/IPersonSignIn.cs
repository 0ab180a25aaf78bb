namespace Basalt.Identity.OAuth;

/// <summary>
/// Where a person proves who they are during the gateway's device grant or authorization-code flow: the
/// organization's OIDC IdP (<see cref="UpstreamSignIn"/>) or IAM Identity Center (<see cref="IdentityCenterSignIn"/>).
/// Both are a browser redirect with <c>state</c> and PKCE, then a code exchanged at the gateway's callback.
/// </summary>
internal interface IPersonSignIn
{
    /// <summary>What the person and the operator are told they sign in at (an issuer URL, or an access portal).</summary>
    string Name { get; }

    /// <summary>The <c>iss</c> an RFC 9207 authorization response must carry when it carries one; null when the service sends none.</summary>
    string? ResponseIssuer { get; }

    /// <summary>Where to send the browser. Throws <see cref="Credentials.CredentialException"/> when the service cannot be reached.</summary>
    Task<Uri> AuthorizeUrlAsync(Uri redirectUri, string state, string nonce, string verifier, CancellationToken cancellationToken);

    /// <summary>Exchanges the code for the person; a refusal is a message safe to show them.</summary>
    Task<(Principal? Principal, string? Refusal)> CompleteAsync(string code, Uri redirectUri, string verifier, string nonce, CancellationToken cancellationToken);
}
