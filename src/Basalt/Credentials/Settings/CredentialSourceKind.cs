namespace Basalt.Credentials.Settings;

/// <summary>Where a profile's credential comes from; the settings file spells these as in <see cref="CredentialSourceKinds"/>.</summary>
public enum CredentialSourceKind
{
    /// <summary><c>identity-center</c>: IAM Identity Center device authorization (the <c>inferenceBedrockSso*</c> values).</summary>
    IdentityCenter = 0,

    /// <summary><c>oidc</c>: the organization's IdP, then STS AssumeRoleWithWebIdentity.</summary>
    Oidc,

    /// <summary><c>aws-profile</c>: a named profile of the AWS config files.</summary>
    AwsProfile,

    /// <summary><c>static</c>: access keys in the settings.</summary>
    Static,

    /// <summary><c>bedrock-api-key</c>: a long-term Bedrock API key, passed through as the bearer token.</summary>
    BedrockApiKey,

    /// <summary>
    /// <c>gateway</c>: the Basalt gateway as OAuth authorization server (issue 9 item 3); the device grant signs the
    /// person in and <c>gateway-oauth-token</c> prints the gateway's own access token. No AWS credentials.
    /// </summary>
    Gateway,
}
