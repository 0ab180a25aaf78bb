namespace Basalt.Deployment;

/// <summary>
/// The device credential helper <c>basalt-credential</c>: where it is installed per platform, the AWS profile
/// that wraps it as <c>credential_process</c>, and where it gets credentials from.
/// </summary>
public sealed record HelperSettings(
    HelperSource Source,
    string ProfileName,
    IReadOnlyDictionary<DeploymentPlatform, string> InstallPaths,
    int? TtlSec,
    int? TimeoutSec,
    OidcFederationSettings? Oidc,
    SsoSettings? Sso)
{
    /// <summary>Default install locations of <c>basalt-credential</c>.</summary>
    public static IReadOnlyDictionary<DeploymentPlatform, string> DefaultInstallPaths { get; } = new Dictionary<DeploymentPlatform, string>
    {
        [DeploymentPlatform.MacOS] = "/usr/local/bin/basalt-credential",
        [DeploymentPlatform.Linux] = "/usr/local/bin/basalt-credential",
        [DeploymentPlatform.Windows] = @"C:\Program Files\Basalt\basalt-credential.exe",
    };
}
