using Basalt.Credentials;
using Basalt.Credentials.Oidc;
using Basalt.Identity.Jwt;
using Basalt.Identity.Oidc;

namespace Basalt.Identity.OAuth;

/// <summary>
/// The person's proof of identity at the organization's IdP: authorization code + PKCE (RFC 7636, S256) with
/// <c>state</c> and <c>nonce</c> (OIDC Core §3.1.2.1), through the same discovery, token client and JWT validator
/// the credential helper uses. The ID token's claims become a <see cref="Principal"/> through the issuer's
/// configured group mapping.
/// </summary>
internal sealed class UpstreamSignIn(OAuthServerOptions options, HttpClient http, TimeProvider time) : IPersonSignIn
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
    private readonly OidcIssuerOptions _issuer = options.SignIn ?? throw new ArgumentException("an OIDC sign-in issuer is required", nameof(options));
    private readonly string _clientId = options.SignInClientId ?? throw new ArgumentException("the gateway's client id at the sign-in issuer is required", nameof(options));
    private readonly OidcHttp _http = new(http, RequestTimeout);
    private readonly OidcMetadataCache _metadata = new(time);

    public string Name => _issuer.Issuer;

    public string? ResponseIssuer => _issuer.Issuer;

    public async Task<Uri> AuthorizeUrlAsync(Uri redirectUri, string state, string nonce, string verifier, CancellationToken cancellationToken)
    {
        var document = await _metadata.GetDiscoveryAsync(_http, _issuer.Issuer, cancellationToken).ConfigureAwait(false);
        var scopes = options.SignInScopes.Contains("openid", StringComparer.Ordinal) ? options.SignInScopes : ["openid", .. options.SignInScopes];
        return OAuthQuery.Append(
            document.AuthorizationEndpoint.OriginalString,
            ("response_type", "code"),
            ("client_id", _clientId),
            ("redirect_uri", redirectUri.OriginalString),
            ("scope", string.Join(' ', scopes)),
            ("state", state),
            ("nonce", nonce),
            ("code_challenge", Pkce.Challenge(verifier)),
            ("code_challenge_method", "S256"));
    }

    /// <summary>Exchanges the IdP's code and validates its ID token; a refusal is a message safe to show the person.</summary>
    public async Task<(Principal? Principal, string? Refusal)> CompleteAsync(string code, Uri redirectUri, string verifier, string nonce, CancellationToken cancellationToken)
    {
        try
        {
            var document = await _metadata.GetDiscoveryAsync(_http, _issuer.Issuer, cancellationToken).ConfigureAwait(false);
            var client = new OidcTokenClient(_http, time);
            var result = await client.ExchangeCodeAsync(document, _clientId, code, redirectUri, verifier, cancellationToken, options.SignInClientSecret).ConfigureAwait(false);
            if (result.Tokens?.IdToken is not { } idToken)
            {
                return (null, result.IsSuccess ? "the identity provider returned no ID token (is 'openid' among the scopes?)" : "the identity provider refused the sign-in code: " + result.Describe());
            }

            var expect = new JwtExpectations(_issuer.Issuer, [_clientId], time.GetUtcNow(), _issuer.ClockSkew)
            {
                AuthorizedParty = _clientId,
                Nonce = nonce,
                Algorithms = _issuer.Algorithms,
            };
            var validation = await JwtValidator.ValidateAsync(idToken, expect, (refresh, ct) => _metadata.GetKeysAsync(_http, document, refresh, ct), cancellationToken).ConfigureAwait(false);
            if (validation.Claims is not { } claims)
            {
                return (null, "the identity provider's ID token was refused: " + validation.Message);
            }

            return (PrincipalClaims.ToPrincipal(claims, _issuer.Groups, AuthenticationMethod.GatewayToken, "sign-in", _issuer.CostCentreClaim), null);
        }
        catch (CredentialException e)
        {
            return (null, e.Message);
        }
    }
}
