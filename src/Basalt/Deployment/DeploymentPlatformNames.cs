using Basalt.ManagedConfig;

namespace Basalt.Deployment;

/// <summary>Spelling of <see cref="DeploymentPlatform"/> in <c>basalt.yaml</c> and in output folder names.</summary>
public static class DeploymentPlatformNames
{
    public static IReadOnlyList<DeploymentPlatform> All { get; } = [DeploymentPlatform.MacOS, DeploymentPlatform.Windows, DeploymentPlatform.Linux];

    public static string ToName(this DeploymentPlatform platform) => platform switch
    {
        DeploymentPlatform.MacOS => "macos",
        DeploymentPlatform.Windows => "windows",
        DeploymentPlatform.Linux => "linux",
        _ => throw new ArgumentOutOfRangeException(nameof(platform), platform, null),
    };

    public static ConfigPlatform ToConfigPlatform(this DeploymentPlatform platform) => platform switch
    {
        DeploymentPlatform.MacOS => ConfigPlatform.MacOS,
        DeploymentPlatform.Windows => ConfigPlatform.Windows,
        DeploymentPlatform.Linux => ConfigPlatform.Linux,
        _ => ConfigPlatform.Unknown,
    };

    public static bool TryParse(string? text, out DeploymentPlatform platform)
    {
        foreach (var p in All)
        {
            if (string.Equals(p.ToName(), text, StringComparison.Ordinal))
            {
                platform = p;
                return true;
            }
        }

        platform = default;
        return false;
    }
}
