using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Basalt.Aws;

namespace Basalt.Identity.Aws;

/// <summary>
/// The token: <c>basalt-aws-v1.</c> + base64url of a SigV4-presigned <c>sts:GetCallerIdentity</c> GET URL (the
/// aws-iam-authenticator/EKS pattern). Parsing checks everything that can be checked without STS: the host is
/// the configured endpoint, the action and version, the credential scope's service (<c>sts</c>) and region, the
/// signing time and lifetime, and the signed headers. STS then checks the signature itself.
/// </summary>
public static class AwsIdentityToken
{
    public const string Prefix = "basalt-aws-v1.";

    /// <summary>Longest token looked at: a presigned URL with a session token is ~1.5–2.5 KiB.</summary>
    public const int MaxLength = 8192;

    public const string AudienceHeader = "x-basalt-gateway-id";

    private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal)
    {
        "Action", "Version", "X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Security-Token",
    };

    /// <summary>The query of the one request a token may carry (STS Query API, GetCallerIdentity).</summary>
    public const string Query = "Action=GetCallerIdentity&Version=2011-06-15";

    /// <summary>
    /// Mints a token from any AWS credentials (IAM user keys, an IAM Identity Center role session, an assumed role):
    /// a SigV4 query-presigned <c>GET {sts}/?Action=GetCallerIdentity&amp;Version=2011-06-15</c> (the EKS
    /// aws-iam-authenticator pattern), signing the host and, when the gateway has an id, <see cref="AudienceHeader"/>
    /// with it, so the token works only at that gateway. The lifetime is capped by the credentials' own expiry.
    /// </summary>
    public static string Mint(AwsCredentials credentials, Uri stsEndpoint, string region, string? audience, TimeSpan lifetime, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(stsEndpoint);
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        if (credentials.Expiration is { } expiration && expiration - now < lifetime)
        {
            lifetime = expiration - now;
        }

        var seconds = TimeSpan.FromSeconds(Math.Max(1, Math.Floor(lifetime.TotalSeconds)));
        var target = new Uri(stsEndpoint.GetLeftPart(UriPartial.Authority) + "/?" + Query);
        KeyValuePair<string, string>[] headers = audience is null ? [] : [new(AudienceHeader, audience)];
        var url = SigV4Signer.Presign(HttpMethod.Get, target, credentials, region, "sts", now, seconds, headers);
        return Prefix + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(url.OriginalString));
    }

    /// <summary>The presigned URL to execute and when it stops being valid; or the reason it is refused.</summary>
    public static bool TryParse(string token, AwsIdentityOptions options, DateTimeOffset now, out Uri? url, out DateTimeOffset expires, out string reason)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(options);
        url = null;
        expires = default;
        reason = string.Empty;
        if (token.Length > MaxLength)
        {
            reason = "the AWS identity token is too long";
            return false;
        }

        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token.AsSpan(Prefix.Length)));
        }
        catch (FormatException)
        {
            reason = "the AWS identity token is not base64url";
            return false;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var parsed) || parsed.UserInfo.Length > 0 || parsed.Fragment.Length > 0)
        {
            reason = "the AWS identity token does not hold a URL";
            return false;
        }

        var endpoint = options.StsEndpoint;
        if (!string.Equals(parsed.Scheme, endpoint.Scheme, StringComparison.Ordinal) || !string.Equals(parsed.Host, endpoint.Host, StringComparison.OrdinalIgnoreCase)
            || parsed.Port != endpoint.Port || parsed.AbsolutePath != "/")
        {
            reason = $"the AWS identity token is not for this gateway's STS endpoint ({endpoint.GetLeftPart(UriPartial.Authority)})";
            return false;
        }

        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in parsed.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            if (!Allowed.Contains(name) || !query.TryAdd(name, value))
            {
                reason = $"the presigned URL has an unexpected or repeated parameter '{Truncate(name)}'";
                return false;
            }
        }

        if (query.GetValueOrDefault("Action") != "GetCallerIdentity" || query.GetValueOrDefault("Version") != "2011-06-15")
        {
            reason = "the presigned request is not sts:GetCallerIdentity (Version 2011-06-15)";
            return false;
        }

        if (query.GetValueOrDefault("X-Amz-Algorithm") != "AWS4-HMAC-SHA256" || !query.ContainsKey("X-Amz-Signature"))
        {
            reason = "the presigned request is not signed with AWS4-HMAC-SHA256";
            return false;
        }

        // Credential: AKID/yyyyMMdd/region/service/aws4_request.
        var scope = query.GetValueOrDefault("X-Amz-Credential", string.Empty).Split('/');
        if (scope.Length != 5 || scope[4] != "aws4_request")
        {
            reason = "the presigned request's credential scope is malformed";
            return false;
        }

        if (scope[3] != "sts")
        {
            reason = $"the presigned request is signed for service '{Truncate(scope[3])}', not sts";
            return false;
        }

        if (!string.Equals(scope[2], options.Region, StringComparison.Ordinal))
        {
            reason = $"the presigned request is signed for region '{Truncate(scope[2])}'; this gateway accepts {options.Region}";
            return false;
        }

        if (!DateTimeOffset.TryParseExact(query.GetValueOrDefault("X-Amz-Date"), "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signed)
            || !int.TryParse(query.GetValueOrDefault("X-Amz-Expires"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds < 1)
        {
            reason = "the presigned request has no valid X-Amz-Date / X-Amz-Expires";
            return false;
        }

        if (seconds > options.MaxLifetime.TotalSeconds)
        {
            reason = $"the presigned request is valid for {seconds} s; at most {options.MaxLifetime.TotalSeconds:0} s is accepted";
            return false;
        }

        expires = signed.AddSeconds(seconds);
        if (now >= expires)
        {
            reason = $"the AWS identity token expired at {expires:u}";
            return false;
        }

        if (signed > now + TimeSpan.FromMinutes(5))
        {
            reason = "the AWS identity token is signed in the future";
            return false;
        }

        var headers = query.GetValueOrDefault("X-Amz-SignedHeaders", string.Empty).Split(';');
        var expected = options.Audience is null ? new[] { "host" } : ["host", AudienceHeader];
        if (!headers.SequenceEqual(expected, StringComparer.Ordinal))
        {
            reason = options.Audience is null
                ? "the presigned request must sign only the host header"
                : $"the presigned request must sign the host and {AudienceHeader} headers (this gateway's id binds the token to it)";
            return false;
        }

        url = parsed;
        return true;
    }

    private static string Truncate(string s) => s.Length > 40 ? s[..40] + "…" : s;
}
