using Basalt.Identity.Aws;

namespace Basalt.Identity.OAuth;

/// <summary>
/// IAM Identity Center as the person's sign-in step of the gateway's authorization server (issue 9 item 3, for
/// organizations with no IdP of their own): the access portal's start URL and Identity Center region, named like
/// the deployment file's <c>auth.sso</c>, and optionally the account and permission set to use when the person
/// has several. The person is then mapped exactly like a presigned GetCallerIdentity caller (<see cref="Aws"/>).
/// </summary>
public sealed record IdentityCenterSignInOptions
{
    /// <summary>The AWS access portal URL (<c>https://d-xxxxxxxxxx.awsapps.com/start</c>), sent as RegisterClient's <c>issuerUrl</c>.</summary>
    public required string StartUrl { get; init; }

    /// <summary>The IAM Identity Center region (sso-oidc and the portal live there).</summary>
    public required string Region { get; init; }

    /// <summary>The account whose role is used; null: the person's only account (more than one is an error naming this key).</summary>
    public string? AccountId { get; init; }

    /// <summary>The permission set; null: the person's only one in the account.</summary>
    public string? RoleName { get; init; }

    /// <summary>Endpoint override for sso-oidc (PrivateLink, or the emulator in tests); null: <c>https://oidc.{region}.amazonaws.com</c>.</summary>
    public Uri? OidcEndpoint { get; init; }

    /// <summary>Endpoint override for the access portal API; null: <c>https://portal.sso.{region}.amazonaws.com</c>.</summary>
    public Uri? PortalEndpoint { get; init; }

    /// <summary>
    /// The gateway's AWS identity settings (<c>identity.aws</c>): the role credentials' GetCallerIdentity goes to
    /// its STS endpoint and the ARN maps to groups by its rules, so a person is the same principal whether they
    /// present a presigned token or sign in here.
    /// </summary>
    public required AwsIdentityOptions Aws { get; init; }
}
