namespace Basalt.Deployment;

/// <summary>A device platform that gets its own artifacts.</summary>
public enum DeploymentPlatform
{
    MacOS = 0,
    Windows,
    Linux,
}
