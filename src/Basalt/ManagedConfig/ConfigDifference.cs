namespace Basalt.ManagedConfig;

/// <summary>One semantic difference between two configurations. Values are redacted; a changed secret says only that it changed.</summary>
public sealed record ConfigDifference(string Key, ConfigDifferenceKind Kind, string? Before, string? After)
{
    public override string ToString() => Kind switch
    {
        ConfigDifferenceKind.Added => $"+ {Key} = {After}",
        ConfigDifferenceKind.Removed => $"- {Key} = {Before}",
        _ => $"~ {Key}: {Before} -> {After}",
    };
}
