namespace Basalt.ManagedConfig;

/// <summary>A value that was read from a source but that the app will not use, and why.</summary>
public sealed record IgnoredEntry(ConfigEntry Entry, string Reason, string Code);
