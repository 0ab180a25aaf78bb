namespace Basalt.ManagedConfig;

/// <summary>The operating system whose managed-configuration rules apply to a source.</summary>
public enum ConfigPlatform
{
    Unknown = 0,
    MacOS,
    Windows,
    Linux,
}
