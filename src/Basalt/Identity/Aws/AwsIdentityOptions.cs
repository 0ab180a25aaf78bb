using Basalt.Identity.Groups;

namespace Basalt.Identity.Aws;

/// <summary>
/// Accepting AWS identities without an IdP (issue 9 item 4): which STS endpoint presigned
/// <c>GetCallerIdentity</c> tokens must name and are executed against, the region they must be signed for, and how
/// callers map to groups. Group rules read three claims of the caller: <c>aws:account</c>, <c>aws:role</c> and
/// <c>aws:permissionSet</c> (the IAM Identity Center permission set behind an <c>AWSReservedSSO_…</c> role).
/// </summary>
public sealed record AwsIdentityOptions
{
    /// <summary>The STS endpoint (e.g. https://sts.us-east-1.amazonaws.com); a token for any other host is refused,
    /// so the gateway never sends a request to a host a caller chose.</summary>
    public required Uri StsEndpoint { get; init; }

    /// <summary>The region the presign's credential scope must name.</summary>
    public required string Region { get; init; }

    /// <summary>
    /// When set, the presign must sign the header <c>x-basalt-gateway-id</c> with this value (as EKS binds its tokens
    /// to a cluster with <c>x-k8s-aws-id</c>), so a token made for another service cannot be replayed here.
    /// </summary>
    public string? Audience { get; init; }

    /// <summary>Longest presign lifetime accepted (<c>X-Amz-Expires</c>); EKS uses 15 minutes.</summary>
    public TimeSpan MaxLifetime { get; init; } = TimeSpan.FromMinutes(15);

    public GroupMapping Groups { get; init; } = GroupMapping.None;
}
