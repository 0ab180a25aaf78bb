using Basalt.Aws;

namespace Basalt.Credentials.IdentityCenter;

/// <summary>
/// IAM Identity Center sign-in with the four values Claude Desktop calls <c>inferenceBedrockSso*</c>
/// (cowork3p-reference §8): start URL, SSO region, account id and role (permission-set) name. The token lives in
/// the AWS CLI's cache, so a user who already ran <c>aws sso login</c> for the same session is signed in, and the
/// other way round. Kind: <c>identity-center</c>.
/// </summary>
public sealed class IdentityCenterSource : ICredentialSource
{
    private readonly SsoSessionConfig _session;
    private readonly string _accountId;
    private readonly string _roleName;
    private readonly AwsClientFactory _clients;

    /// <param name="startUrl">The access portal URL, e.g. <c>https://d-xxxxxxxxxx.awsapps.com/start</c>.</param>
    /// <param name="ssoRegion">The Identity Center home region.</param>
    /// <param name="accountId">The 12-digit account id.</param>
    /// <param name="roleName">The permission-set name.</param>
    /// <param name="sessionName">The AWS CLI <c>sso-session</c> name to share a token with; null shares by start URL.</param>
    /// <param name="scopes">Registration scopes; null means <c>sso:account:access</c> (needed for refresh tokens).</param>
    public IdentityCenterSource(
        string startUrl,
        string ssoRegion,
        string accountId,
        string roleName,
        CredentialEnvironment environment,
        AwsServiceEndpoints? endpoints = null,
        string? sessionName = null,
        IReadOnlyList<string>? scopes = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(startUrl);
        ArgumentException.ThrowIfNullOrEmpty(ssoRegion);
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentException.ThrowIfNullOrEmpty(roleName);
        ArgumentNullException.ThrowIfNull(environment);
        _session = new SsoSessionConfig(startUrl, ssoRegion, sessionName, scopes ?? SsoSessionConfig.DefaultScopes);
        _accountId = accountId;
        _roleName = roleName;
        _clients = new AwsClientFactory(endpoints ?? AwsServiceEndpoints.FromEnvironment(environment));
        Tokens = new SsoTokenProvider(new SsoTokenCache(SsoTokenCache.DefaultDirectory(environment)), _clients, environment);
    }

    public string Kind => "identity-center";

    internal SsoTokenProvider Tokens { get; init; }

    public async ValueTask<AwsCredentials> GetCredentialsAsync(CredentialRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var token = await Tokens.GetTokenAsync(_session, request, cancellationToken).ConfigureAwait(false);
        var credentials = await SsoRoleCredentials.GetAsync(_clients, _session.Region, token, _accountId, _roleName, cancellationToken).ConfigureAwait(false);
        if (credentials is not null)
        {
            return credentials;
        }

        // The portal rejected a token that looked valid: it was revoked or the portal session was ended by an admin.
        Tokens.Cache.DeleteToken(_session.TokenKey);
        if (!request.MayPromptUser)
        {
            throw new CredentialException($"The IAM Identity Center session for {_session.StartUrl} is no longer valid, and this run ({request.Context}) may not open a browser. Sign in again from an interactive run.")
            {
                NeedsInteractiveSignIn = true,
            };
        }

        token = await Tokens.SignInAsync(_session, request.Log, cancellationToken).ConfigureAwait(false);
        return await SsoRoleCredentials.GetAsync(_clients, _session.Region, token, _accountId, _roleName, cancellationToken).ConfigureAwait(false)
            ?? throw new CredentialException($"IAM Identity Center rejected a fresh sign-in for role \"{_roleName}\" in account {_accountId}.");
    }
}
