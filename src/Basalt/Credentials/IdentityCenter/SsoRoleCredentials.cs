using Amazon.Runtime;
using Amazon.SSO.Model;
using Basalt.Aws;

namespace Basalt.Credentials.IdentityCenter;

/// <summary>
/// Exchanges an Identity Center access token for role credentials at the access portal
/// (<c>GET /federation/credentials</c>, bedrock-and-clients §4) with the official SSO client.
/// </summary>
internal static class SsoRoleCredentials
{
    /// <summary>Returns null when the portal rejects the token (revoked, or the portal session ended).</summary>
    public static async Task<AwsCredentials?> GetAsync(AwsClientFactory clients, string region, SsoToken token, string accountId, string roleName, CancellationToken cancellationToken)
    {
        using var client = clients.CreateSso(region);
        try
        {
            var response = await client.GetRoleCredentialsAsync(
                new GetRoleCredentialsRequest { AccessToken = token.AccessToken, AccountId = accountId, RoleName = roleName },
                cancellationToken).ConfigureAwait(false);
            var c = response.RoleCredentials;
            return new AwsCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken, DateTimeOffset.FromUnixTimeMilliseconds(c.Expiration ?? 0));
        }
        catch (UnauthorizedException)
        {
            return null;
        }
        catch (Amazon.SSO.Model.ResourceNotFoundException e)
        {
            throw new CredentialException($"IAM Identity Center has no role \"{roleName}\" in account {accountId} for this user. Check the account id and permission-set name, and that the user is assigned to it.", e);
        }
        catch (AmazonServiceException e)
        {
            throw new CredentialException($"The IAM Identity Center portal did not return credentials for role \"{roleName}\" in account {accountId} ({e.ErrorCode ?? e.GetType().Name}: {e.Message}).", e);
        }
    }
}
