using Basalt.Diagnostics.Reading;
using Basalt.Diagnostics;

namespace Basalt.Deployment;

/// <summary>The one authentication approach of a group and the settings that approach needs.</summary>
public sealed record AuthSettings(
    AuthApproach Approach,
    SourceLocation Location,
    FieldValue? BearerToken = null,
    SsoSettings? Sso = null,
    ProfileSettings? Profile = null,
    HelperSettings? Helper = null,
    GatewaySettings? Gateway = null)
{
    /// <summary>The <c>inferenceCredentialKind</c> to emit (cowork3p-reference §3.1, §11 rule 8).</summary>
    public string CredentialKind => Approach switch
    {
        AuthApproach.BearerToken => "static",
        AuthApproach.AwsSignIn => "interactive",
        AuthApproach.NamedProfile => "vendor-profile",
        AuthApproach.CredentialHelper => "helper-script",
        AuthApproach.Gateway when Gateway?.UseHelper == true => "helper-script",
        AuthApproach.Gateway when Gateway?.OidcJson is not null || Gateway?.GatewaySignIn == true => "interactive",
        AuthApproach.Gateway => "static",
        _ => throw new InvalidOperationException($"no credential kind for {Approach}"),
    };

    /// <summary>True when any device uses a Bedrock bearer token, so the IAM policy needs <c>bedrock:CallWithBearerToken</c>.</summary>
    public bool UsesBedrockBearerToken => Approach is AuthApproach.BearerToken or AuthApproach.CredentialHelper;
}
