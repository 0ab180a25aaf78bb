namespace Basalt.ManagedConfig;

public enum ConfigDifferenceKind
{
    Added = 0,
    Removed,
    Changed,
}
