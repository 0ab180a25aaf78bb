namespace Basalt.ManagedConfig;

/// <summary>What the validator assumes about the device it judges a configuration for.</summary>
public sealed record ValidationOptions
{
    /// <summary>
    /// The Claude Desktop release the configuration is meant for. Null means "the newest documented behaviour":
    /// keys are never flagged as too new and the newest precedence and base-URL rules apply.
    /// </summary>
    public AppVersion? TargetAppVersion { get; init; }

    /// <summary>The moment to judge deprecations at (the §2.10 cut-off depends on the date).</summary>
    public DateTimeOffset Now { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>Overrides the platform recorded in the configuration (e.g. a JSON file judged as Windows).</summary>
    public ConfigPlatform? Platform { get; init; }

    public static ValidationOptions Default => new();
}
