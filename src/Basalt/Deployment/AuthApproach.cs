namespace Basalt.Deployment;

/// <summary>How devices authenticate (seed 000, "Choose an authentication approach").</summary>
public enum AuthApproach
{
    /// <summary>A Bedrock API key in the managed profile (<c>inferenceCredentialKind: static</c>); proof of concept.</summary>
    BearerToken = 0,

    /// <summary>In-app AWS sign-in through IAM Identity Center (<c>inferenceBedrockSso*</c>, kind <c>interactive</c>).</summary>
    AwsSignIn,

    /// <summary>A named AWS CLI profile pushed to <c>~/.aws/config</c> (kind <c>vendor-profile</c>).</summary>
    NamedProfile,

    /// <summary><c>basalt-credential</c> as <c>inferenceCredentialHelper</c> (kind <c>helper-script</c>).</summary>
    CredentialHelper,

    /// <summary>An LLM gateway holds the AWS credentials; devices authenticate to the gateway only.</summary>
    Gateway,
}
