namespace Basalt.Deployment;

/// <summary>Where <c>basalt-credential</c> gets AWS credentials from on the device.</summary>
public enum HelperSource
{
    /// <summary>Corporate OIDC sign-in, then STS <c>AssumeRoleWithWebIdentity</c> on the role of the CloudFormation template.</summary>
    Oidc = 0,

    /// <summary>IAM Identity Center device authorization, then the portal's role credentials.</summary>
    AwsSignIn,
}
