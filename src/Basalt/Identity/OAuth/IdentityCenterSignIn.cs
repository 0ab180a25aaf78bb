using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
using Amazon.SSO.Model;
using Amazon.SSOOIDC;
using Amazon.SSOOIDC.Model;
using Basalt.Aws;
using Basalt.Credentials;
using Basalt.Credentials.IdentityCenter;
using Basalt.Credentials.Oidc;
using Basalt.Identity.Aws;

namespace Basalt.Identity.OAuth;

/// <summary>
/// IAM Identity Center as the person's sign-in step (issue 9 item 3: a company with no IdP of its own signs people
/// in to the gateway with the access portal it already has). The same calls the AWS CLI v2 makes for its default
/// authorization-code login, with the official SDK clients the credential helper uses:
/// <list type="number">
/// <item>RegisterClient: a public client with grants <c>authorization_code</c> and <c>refresh_token</c>, the
/// gateway's callback as redirect URI and the start URL as <c>issuerUrl</c>, once per gateway (kept in the identity
/// store by <see cref="IdentityCenterClients"/> until it nears expiry);</item>
/// <item>the browser goes to sso-oidc's <c>/authorize</c> with PKCE S256 and <c>state</c> (RFC 7636; RFC 6749 §10.12);</item>
/// <item>CreateToken with <c>grantType=authorization_code</c>, the code, redirect URI and verifier;</item>
/// <item>the access portal: the configured account and permission set, else the person's only ones
/// (ListAccounts / ListAccountRoles), then GetRoleCredentials;</item>
/// <item>a presigned GetCallerIdentity made from those credentials (<see cref="AwsIdentityToken.Mint"/>) is executed
/// by the same <see cref="AwsIdentityAuthenticator"/> that accepts callers' own presigned tokens, so the ARN maps to
/// the same principal and groups (<c>identity.aws</c>) whichever way the person comes.</item>
/// </list>
/// The role credentials are used for that one STS call and dropped; the gateway keeps nothing of the person's AWS
/// session. A refusal is a message for the person's page; nothing here throws for a person's mistake.
/// </summary>
internal sealed class IdentityCenterSignIn(IdentityCenterSignInOptions options, IdentityCenterClients registrations, HttpClient http, TimeProvider time) : IPersonSignIn
{
    /// <summary>What the AWS CLI asks for: access to the person's accounts and roles at the portal.</summary>
    private const string PortalScope = "sso:account:access";

    private const string AccountKey = "identity.oauth.signIn.identityCenter.accountId";
    private const string RoleKey = "identity.oauth.signIn.identityCenter.roleName";

    private readonly AwsClientFactory _clients = new(new AwsServiceEndpoints(options.OidcEndpoint, options.PortalEndpoint));
    private readonly AwsIdentityAuthenticator _identities = new(options.Aws, http, time);

    /// <summary>The access portal URL: what people know their AWS sign-in by.</summary>
    public string Name => options.StartUrl;

    /// <summary>IAM Identity Center's authorization response carries no <c>iss</c>; one that does is refused.</summary>
    public string? ResponseIssuer => null;

    public async Task<Uri> AuthorizeUrlAsync(Uri redirectUri, string state, string nonce, string verifier, CancellationToken cancellationToken)
    {
        var registration = await RegistrationAsync(redirectUri, cancellationToken).ConfigureAwait(false);
        return OAuthQuery.Append(
            OidcBase() + "/authorize",
            ("response_type", "code"),
            ("client_id", registration.ClientId),
            ("redirect_uri", redirectUri.OriginalString),
            ("state", state),
            ("code_challenge_method", "S256"),
            ("scopes", PortalScope),
            ("code_challenge", Pkce.Challenge(verifier)));
    }

    public async Task<(Principal? Principal, string? Refusal)> CompleteAsync(string code, Uri redirectUri, string verifier, string nonce, CancellationToken cancellationToken)
    {
        if (await registrations.FindAsync(RegistrationKey(redirectUri), cancellationToken).ConfigureAwait(false) is not { } registration)
        {
            return (null, "the gateway's registration at IAM Identity Center expired during the sign-in; start the sign-in again.");
        }

        string accessToken;
        using (var oidc = _clients.CreateSsoOidc(options.Region))
        {
            try
            {
                var response = await oidc.CreateTokenAsync(
                    new CreateTokenRequest
                    {
                        GrantType = "authorization_code",
                        ClientId = registration.ClientId,
                        ClientSecret = registration.ClientSecret,
                        Code = code,
                        RedirectUri = redirectUri.OriginalString,
                        CodeVerifier = verifier,
                    },
                    cancellationToken).ConfigureAwait(false);
                accessToken = response.AccessToken;
            }
            catch (Exception e) when (IsServiceFailure(e, cancellationToken))
            {
                return (null, e is AmazonServiceException { StatusCode: not 0 } s && (int)s.StatusCode < 500
                    ? $"IAM Identity Center refused the sign-in code ({s.ErrorCode ?? e.GetType().Name}: {s.Message})."
                    : $"IAM Identity Center could not be reached to finish the sign-in ({Describe(e)}). Try again in a few minutes.");
            }
        }

        var token = new SsoToken(options.StartUrl, options.Region, accessToken, time.GetUtcNow().AddMinutes(5));
        AwsCredentials? credentials;
        try
        {
            var (account, role, refusal) = await RoleAsync(accessToken, cancellationToken).ConfigureAwait(false);
            if (refusal is not null)
            {
                return (null, refusal);
            }

            credentials = await SsoRoleCredentials.GetAsync(_clients, options.Region, token, account!, role!, cancellationToken).ConfigureAwait(false);
        }
        catch (CredentialException e)
        {
            return (null, e.Message);
        }
        catch (Exception e) when (IsServiceFailure(e, cancellationToken))
        {
            return (null, $"the IAM Identity Center portal did not answer ({Describe(e)}). Try again in a few minutes.");
        }

        if (credentials is null)
        {
            return (null, "the IAM Identity Center portal did not accept the new session; start the sign-in again.");
        }

        // One minute is plenty for the one call the gateway makes with it, right now.
        var presigned = AwsIdentityToken.Mint(credentials, options.Aws.StsEndpoint, options.Aws.Region, options.Aws.Audience, TimeSpan.FromMinutes(1), time.GetUtcNow());
        var result = await _identities.AuthenticateAsync(new AuthenticationRequest(presigned, null, OAuthPaths.Callback), cancellationToken).ConfigureAwait(false);
        return result.Principal is { } principal ? (principal, null) : (null, $"AWS did not confirm who you are: {result.Reason}.");
    }

    /// <summary>The configured account and permission set, else the person's only ones; more than one names the key IT must set.</summary>
    private async Task<(string? Account, string? Role, string? Refusal)> RoleAsync(string accessToken, CancellationToken cancellationToken)
    {
        if (options.AccountId is { } configuredAccount && options.RoleName is { } configuredRole)
        {
            return (configuredAccount, configuredRole, null);
        }

        using var portal = _clients.CreateSso(options.Region);
        var account = options.AccountId;
        if (account is null)
        {
            var accounts = new List<string>();
            string? next = null;
            do
            {
                var page = await portal.ListAccountsAsync(new ListAccountsRequest { AccessToken = accessToken, NextToken = next }, cancellationToken).ConfigureAwait(false);
                accounts.AddRange((page.AccountList ?? []).Select(a => a.AccountId));
                next = page.NextToken;
            }
            while (!string.IsNullOrEmpty(next) && accounts.Count < 1000);

            switch (accounts.Count)
            {
                case 0:
                    return (null, null, "no AWS account is assigned to you in IAM Identity Center, so the gateway cannot tell which permission set you sign in with. Ask IT to assign you one.");
                case > 1:
                    return (null, null, $"you have access to {accounts.Count} AWS accounts ({Join(accounts)}), and the gateway is not configured with the one to use. IT must set {AccountKey} (and {RoleKey}) in the gateway's configuration.");
            }

            account = accounts[0];
        }

        if (options.RoleName is { } role)
        {
            return (account, role, null);
        }

        var roles = new List<string>();
        string? token = null;
        do
        {
            var page = await portal.ListAccountRolesAsync(new ListAccountRolesRequest { AccessToken = accessToken, AccountId = account, NextToken = token }, cancellationToken).ConfigureAwait(false);
            roles.AddRange((page.RoleList ?? []).Select(r => r.RoleName));
            token = page.NextToken;
        }
        while (!string.IsNullOrEmpty(token) && roles.Count < 1000);

        return roles.Count switch
        {
            0 => (null, null, $"you have no permission set in AWS account {account} in IAM Identity Center. Ask IT to assign you one, or to set {AccountKey} to an account where you have one."),
            > 1 => (null, null, $"you have {roles.Count} permission sets in AWS account {account} ({Join(roles)}), and the gateway is not configured with the one to use. IT must set {RoleKey} in the gateway's configuration."),
            _ => (account, roles[0], null),
        };
    }

    private async Task<IdentityCenterClients.Registration> RegistrationAsync(Uri redirectUri, CancellationToken cancellationToken)
    {
        var key = RegistrationKey(redirectUri);
        if (await registrations.FindAsync(key, cancellationToken).ConfigureAwait(false) is { } cached)
        {
            return cached;
        }

        // Two sign-ins (or replicas) racing here both register; the store keeps the first, and both use it.
        using var oidc = _clients.CreateSsoOidc(options.Region);
        RegisterClientResponse response;
        try
        {
            response = await oidc.RegisterClientAsync(
                new RegisterClientRequest
                {
                    ClientName = "basalt-gateway-" + time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                    ClientType = "public",
                    GrantTypes = ["authorization_code", "refresh_token"],
                    RedirectUris = [redirectUri.OriginalString],
                    IssuerUrl = options.StartUrl,
                    Scopes = [PortalScope],
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (IsServiceFailure(e, cancellationToken))
        {
            throw new CredentialException($"IAM Identity Center in {options.Region} did not register the gateway ({Describe(e)}). Check identity.oauth.signIn.identityCenter (region, oidcEndpoint) and that IAM Identity Center is reachable.", e);
        }

        var registration = new IdentityCenterClients.Registration(response.ClientId, response.ClientSecret, DateTimeOffset.FromUnixTimeSeconds(response.ClientSecretExpiresAt ?? 0));
        return await registrations.SaveAsync(key, registration, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A registration is for one start URL, region and callback: a change of any of them registers anew.</summary>
    private string RegistrationKey(Uri redirectUri)
        => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{options.StartUrl}\n{options.Region}\n{redirectUri.OriginalString}")));

    private string OidcBase() => (options.OidcEndpoint?.GetLeftPart(UriPartial.Path) ?? $"https://oidc.{options.Region}.amazonaws.com").TrimEnd('/');

    private static bool IsServiceFailure(Exception e, CancellationToken cancellationToken)
        => e is AmazonServiceException or AmazonClientException or HttpRequestException or IOException
           || e is OperationCanceledException && !cancellationToken.IsCancellationRequested;

    /// <summary>The reason without a stack trace: the service's error code, else the innermost transport message.</summary>
    private static string Describe(Exception e)
    {
        if (e is AmazonServiceException { ErrorCode: { Length: > 0 } code } s && s.StatusCode != 0)
        {
            return $"{code}: {s.Message}";
        }

        var inner = e;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return e is OperationCanceledException ? "it did not answer in time" : inner.Message;
    }

    private static string Join(List<string> names) => string.Join(", ", names.Take(5)) + (names.Count > 5 ? ", …" : string.Empty);
}
