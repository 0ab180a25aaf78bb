namespace Basalt.Deployment.Packaging;

/// <summary>
/// Where an install package puts the managed files on a device. The helper's own path comes from the deployment
/// (<c>auth.helper.installPath</c>), because the MDM profile and the AWS config already name it; its settings go
/// next to it (<c>basalt-credential.json</c>, the first place the helper looks). Claude Code reads its managed
/// settings from a fixed system path per OS; Claude Desktop on Linux reads <c>/etc/claude-desktop/managed-settings.json</c>
/// (cowork3p-reference §1.2), on macOS and Windows the MDM profile or policy registry.
/// </summary>
public static class InstallLocations
{
    public static string ClaudeCodeManagedSettings(DeploymentPlatform platform) => platform switch
    {
        DeploymentPlatform.MacOS => "/Library/Application Support/ClaudeCode/managed-settings.json",
        DeploymentPlatform.Windows => @"C:\Program Files\ClaudeCode\managed-settings.json",
        _ => "/etc/claude-code/managed-settings.json",
    };

    /// <summary>Claude Desktop's managed file on Linux; null on macOS and Windows (profile / registry instead).</summary>
    public static string? DesktopManagedSettings(DeploymentPlatform platform)
        => platform == DeploymentPlatform.Linux ? "/etc/claude-desktop/managed-settings.json" : null;

    /// <summary>The macOS managed preference domain that carries <c>inferenceCredentialHelper</c>.</summary>
    public const string MacManagedPreferences = "/Library/Managed Preferences/com.anthropic.claudefordesktop.plist";

    /// <summary><c>basalt-credential.json</c> in the folder of <paramref name="helperPath"/>.</summary>
    public static string HelperSettings(DeploymentPlatform platform, string helperPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(helperPath);
        var separator = platform == DeploymentPlatform.Windows ? '\\' : '/';
        var folder = helperPath[..Math.Max(0, helperPath.LastIndexOf(separator))];
        return folder + separator + Credentials.Settings.CredentialHelperSettings.FileName;
    }

    /// <summary>The binary's file name inside a package.</summary>
    public static string BinaryName(DeploymentPlatform platform) => platform == DeploymentPlatform.Windows ? "basalt-credential.exe" : "basalt-credential";
}
