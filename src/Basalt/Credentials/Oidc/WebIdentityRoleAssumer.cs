using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using Basalt.Aws;

namespace Basalt.Credentials.Oidc;

/// <summary>
/// Trades a verified ID token for role credentials with STS <c>AssumeRoleWithWebIdentity</c> (bedrock-and-clients
/// §4), using the official <c>AWSSDK.SecurityToken</c> client. The call is unsigned (anonymous credentials): the
/// ID token is the proof. The endpoint is the regional one unless <see cref="OidcSourceSettings.StsEndpoint"/>
/// overrides it.
/// </summary>
internal sealed class WebIdentityRoleAssumer(OidcSourceSettings settings, TimeSpan requestTimeout)
{
    public async Task<StsResult> AssumeAsync(string idToken, string sessionName, CancellationToken cancellationToken)
    {
        var config = new AmazonSecurityTokenServiceConfig
        {
            Timeout = requestTimeout,
            MaxErrorRetry = 2,
        };
        if (settings.StsEndpoint is { } endpoint)
        {
            config.ServiceURL = endpoint.AbsoluteUri;
            config.AuthenticationRegion = settings.Region;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(settings.Region);
        }

        using var client = new AmazonSecurityTokenServiceClient(new AnonymousAWSCredentials(), config);
        var request = new AssumeRoleWithWebIdentityRequest
        {
            RoleArn = settings.RoleArn,
            RoleSessionName = sessionName,
            WebIdentityToken = idToken,
            DurationSeconds = settings.SessionDurationSeconds,
        };

        var role = settings.RoleArn;
        try
        {
            var response = await client.AssumeRoleWithWebIdentityAsync(request, cancellationToken).ConfigureAwait(false);
            var c = response.Credentials;
            if (c?.AccessKeyId is null || c.SecretAccessKey is null || c.SessionToken is null)
            {
                return new StsResult(null, "IncompleteResponse", $"STS returned no credentials for {role}.");
            }

            DateTimeOffset? expiration = c.Expiration is { } e ? new DateTimeOffset(DateTime.SpecifyKind(e.ToUniversalTime(), DateTimeKind.Utc)) : null;
            return new StsResult(new AwsCredentials(c.AccessKeyId, c.SecretAccessKey, c.SessionToken, expiration), null, "ok");
        }
        catch (ExpiredTokenException e)
        {
            return Failure(e, "STS says the ID token has expired.");
        }
        catch (InvalidIdentityTokenException e)
        {
            return Failure(e, $"STS rejected the ID token for {role}: {Sanitize(e.Message)}. Check that the AWS account has an IAM OIDC identity provider for issuer {settings.Issuer} with client id '{settings.ExpectedAudience}' in its audiences.");
        }
        catch (IDPRejectedClaimException e)
        {
            return Failure(e, $"STS refused the identity provider's claims for {role}: {Sanitize(e.Message)}.");
        }
        catch (IDPCommunicationErrorException e)
        {
            return Failure(e, $"STS could not reach the identity provider to check the ID token: {Sanitize(e.Message)}. Try again in a moment.");
        }
        catch (AmazonSecurityTokenServiceException e) when (e.ErrorCode == "AccessDenied")
        {
            return Failure(e, $"STS denied AssumeRoleWithWebIdentity on {role}: {Sanitize(e.Message)}. The role's trust policy must allow sts:AssumeRoleWithWebIdentity for the federated principal of issuer {settings.Issuer} with audience '{settings.ExpectedAudience}' — ask your AWS administrator.");
        }
        catch (AmazonSecurityTokenServiceException e)
        {
            return Failure(e, $"STS AssumeRoleWithWebIdentity on {role} failed: {e.ErrorCode ?? "error"}: {Sanitize(e.Message)}.");
        }
        catch (AmazonServiceException e) when (e.InnerException is HttpRequestException or SocketException or TaskCanceledException or TimeoutException)
        {
            return new StsResult(null, "NetworkError", $"Could not reach AWS STS at {settings.StsEndpoint?.AbsoluteUri ?? $"the {settings.Region} regional endpoint"}: {Sanitize(e.InnerException!.Message)}. Check your network or VPN connection.");
        }
        catch (HttpRequestException e)
        {
            return new StsResult(null, "NetworkError", $"Could not reach AWS STS at {settings.StsEndpoint?.AbsoluteUri ?? $"the {settings.Region} regional endpoint"}: {Sanitize(e.Message)}. Check your network or VPN connection.");
        }
    }

    private static StsResult Failure(AmazonServiceException e, string message) => new(null, e.ErrorCode ?? e.GetType().Name, message);

    /// <summary>STS messages never echo the token, but keep them one line and short anyway.</summary>
    private static string Sanitize(string? message)
    {
        var text = (message ?? string.Empty).ReplaceLineEndings(" ").Trim().TrimEnd('.');
        return text.Length > 300 ? text[..300] + "…" : text;
    }
}
