namespace Basalt.Deployment.Packaging;

/// <summary>
/// What one install script installs: for a group and platform, the helper path and AWS profile the deployment
/// names, and which payload files the package carries (each null when absent).
/// </summary>
internal sealed record InstallPackageSpec(
    string DeploymentName,
    string GroupName,
    DeploymentPlatform Platform,
    string HelperPath,
    string ProfileName,
    bool HasBinary,
    string? ClaudeCodeSettingsFile,
    string? DesktopSettingsFile,
    string? DesktopPolicyScript,
    string? MobileConfigFile)
{
    public const string SettingsFile = "basalt-credential.json";

    public const string AwsConfigFile = "aws-config";
}
