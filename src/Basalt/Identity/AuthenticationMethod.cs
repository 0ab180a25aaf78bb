namespace Basalt.Identity;

/// <summary>The ways a gateway caller can prove who they are (issue 8 item 7, issue 9 items 2–5).</summary>
public enum AuthenticationMethod
{
    /// <summary>An API key listed in the gateway configuration (hashed at rest).</summary>
    ConfiguredApiKey,

    /// <summary>A managed (virtual) API key from the gateway's store.</summary>
    ManagedApiKey,

    /// <summary>A bearer token issued by an external OIDC identity provider.</summary>
    OidcBearer,

    /// <summary>An access token the gateway issued itself as an OAuth authorization server.</summary>
    GatewayToken,

    /// <summary>A presigned <c>sts:GetCallerIdentity</c> request proving an IAM or IAM Identity Center identity.</summary>
    AwsIdentity,
}
