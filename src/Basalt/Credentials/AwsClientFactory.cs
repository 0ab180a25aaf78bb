using Amazon;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SSO;
using Amazon.SSOOIDC;
using Basalt.Aws;

namespace Basalt.Credentials;

/// <summary>
/// Creates the official AWS SDK v4 clients for the identity services (ARCHITECTURE.md: "no home-made AWS where AWS
/// ships a client"), pointed at <see cref="AwsServiceEndpoints"/> overrides when set. IAM Identity Center OIDC and
/// the portal are unsigned, so they get anonymous credentials: the SDK must never go looking for credentials of its
/// own (environment, instance metadata) on an end-user device.
/// </summary>
internal sealed class AwsClientFactory(AwsServiceEndpoints endpoints)
{
    public AwsServiceEndpoints Endpoints { get; } = endpoints;

    public AmazonSSOOIDCClient CreateSsoOidc(string region)
    {
        var config = new AmazonSSOOIDCConfig { RegionEndpoint = RegionEndpoint.GetBySystemName(region) };
        if (Endpoints.SsoOidc is { } url)
        {
            config.ServiceURL = url.ToString();
            config.AuthenticationRegion = region;
        }

        return new AmazonSSOOIDCClient(new AnonymousAWSCredentials(), config);
    }

    public AmazonSSOClient CreateSso(string region)
    {
        var config = new AmazonSSOConfig { RegionEndpoint = RegionEndpoint.GetBySystemName(region) };
        if (Endpoints.Sso is { } url)
        {
            config.ServiceURL = url.ToString();
            config.AuthenticationRegion = region;
        }

        return new AmazonSSOClient(new AnonymousAWSCredentials(), config);
    }

    public AmazonSecurityTokenServiceClient CreateSts(AwsCredentials credentials, string region)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var config = new AmazonSecurityTokenServiceConfig { RegionEndpoint = RegionEndpoint.GetBySystemName(region) };
        if (Endpoints.Sts is { } url)
        {
            config.ServiceURL = url.ToString();
            config.AuthenticationRegion = region;
        }

        AWSCredentials sdkCredentials = credentials.SessionToken is { } token
            ? new SessionAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, token)
            : new BasicAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey);
        return new AmazonSecurityTokenServiceClient(sdkCredentials, config);
    }
}
