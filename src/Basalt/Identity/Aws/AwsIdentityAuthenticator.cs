using System.Xml;

namespace Basalt.Identity.Aws;

/// <summary>
/// Presigned <c>sts:GetCallerIdentity</c> tokens (issue 9 item 4; <see cref="AwsIdentityToken"/>): the shape is
/// checked locally, then the presigned request is executed against the configured STS endpoint, which verifies the
/// signature, the credentials and the expiry; its answer names the caller's ARN, which becomes the principal
/// (an assumed-role session of a permission set, or an IAM user). The result is cached until the presign
/// expires, so a caller's repeated token costs one STS call.
/// </summary>
public sealed class AwsIdentityAuthenticator(AwsIdentityOptions options, HttpClient http, TimeProvider? time = null, CredentialCache? cache = null) : IRequestAuthenticator
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly CredentialCache _cache = cache ?? new CredentialCache(time ?? TimeProvider.System);

    public async ValueTask<AuthenticationResult> AuthenticateAsync(AuthenticationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var token = request.Credential;
        if (token is null || !token.StartsWith(AwsIdentityToken.Prefix, StringComparison.Ordinal))
        {
            return AuthenticationResult.NotRecognised;
        }

        if (_cache.TryGet(token, out var cached))
        {
            return cached;
        }

        var now = _time.GetUtcNow();
        if (!AwsIdentityToken.TryParse(token, options, now, out var url, out var expires, out var reason))
        {
            var refusal = AuthenticationResult.Reject(reason);
            _cache.Set(token, refusal, now + CredentialCache.RefusalLifetime);
            return refusal;
        }

        using var call = new HttpRequestMessage(HttpMethod.Get, url);
        if (options.Audience is { } audience)
        {
            call.Headers.TryAddWithoutValidation(AwsIdentityToken.AudienceHeader, audience);
        }

        string body;
        int status;
        try
        {
            using var response = await http.SendAsync(call, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            status = (int)response.StatusCode;
            body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // Not cached: STS being unreachable says nothing about the token.
            return AuthenticationResult.Reject("AWS STS could not be reached to verify the AWS identity token; try again shortly");
        }

        AuthenticationResult result;
        if (status != 200)
        {
            result = AuthenticationResult.Reject($"AWS STS refused the AWS identity token ({ErrorCode(body) ?? "HTTP " + status})");
            _cache.Set(token, result, now + CredentialCache.RefusalLifetime);
            return result;
        }

        if (ReadArn(body) is not { } arn || CallerArn.Parse(arn) is not { } caller)
        {
            return AuthenticationResult.Reject("AWS STS answered GetCallerIdentity without a caller ARN this gateway understands");
        }

        var groups = options.Groups.Resolve(caller.UserId, claim => claim switch
        {
            "aws:account" => [caller.Account],
            "aws:role" => caller.Role is { } role ? [role] : [],
            "aws:permissionSet" => caller.PermissionSet is { } set ? [set] : [],
            _ => [],
        });
        result = AuthenticationResult.Success(new Principal(caller.UserId, caller.DisplayName, null, groups, AuthenticationMethod.AwsIdentity, arn));
        _cache.Set(token, result, expires);
        return result;
    }

    private static string? ReadArn(string xml) => Element(xml, "Arn");

    private static string? ErrorCode(string xml) => Element(xml, "Code");

    /// <summary>The first element of that local name in STS's XML answer (no DTDs, bounded size).</summary>
    private static string? Element(string xml, string name)
    {
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = 1_000_000 });
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.Element && reader.LocalName == name)
                {
                    return reader.ReadElementContentAsString();
                }
            }
        }
        catch (XmlException)
        {
        }

        return null;
    }
}
