using Basalt.Usage.Limits;
using Basalt.Usage.Pricing;

namespace Basalt.Usage.Hosting;

/// <summary>
/// The gateway configuration's <c>usage</c> section as the host reads it (issue 10): where the store and journal are,
/// price overrides and fallback, budgets and limits, retention, audit destination, and whether several replicas
/// share the store (then limits lease through PostgreSQL).
/// </summary>
public sealed record UsageOptions
{
    /// <summary><c>sqlite</c> (default, a file beside the config) or <c>postgresql</c>.</summary>
    public string StoreKind { get; init; } = "sqlite";

    /// <summary>SQLite file path or PostgreSQL connection string.</summary>
    public required string StoreTarget { get; init; }

    /// <summary>Local journal folder (each replica has its own).</summary>
    public required string JournalDirectory { get; init; }

    public IReadOnlyDictionary<string, TokenPrices> PriceOverrides { get; init; } = new Dictionary<string, TokenPrices>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Price for models the catalogue does not price; null leaves them unpriced (flagged).</summary>
    public TokenPrices? FallbackPrice { get; init; }

    public UsageLimitsOptions Limits { get; init; } = new();

    /// <summary>Raw records older than this are pruned (rollups are kept). Null keeps them forever.</summary>
    public TimeSpan? RawRetention { get; init; } = TimeSpan.FromDays(90);

    /// <summary>Audit log file, <c>-</c> for stdout, null for none.</summary>
    public string? AuditPath { get; init; }

    /// <summary>How long a graceful stop waits for the store to take the journal (the rest is replayed at the next start).</summary>
    public TimeSpan ShutdownFlushTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a record written to the journal may wait for its <c>fdatasync</c> (default 1 s): requests complete
    /// once their record is written, a crash of the gateway process loses nothing acknowledged, and a power loss or
    /// kernel crash loses at most this interval (issue 10's fsync window; docs/usage.md). Zero: every group commit is
    /// synced before its requests complete (survives power loss too; in one gateway bench run, load 5.5, usage on reached
    /// 0.74× of off that way against 0.92× with a 1 s interval).
    /// </summary>
    public TimeSpan JournalSyncInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>True when several gateway replicas share a PostgreSQL store: limits lease slices through it.</summary>
    public bool SharedLimits { get; init; }
}
