using Basalt.Usage.Budgets;
using Basalt.Usage.Records;

namespace Basalt.Usage.Stores;

/// <summary>
/// Where usage lives (issue 10 item 4): SQLite (WAL) embedded, or PostgreSQL shared by several gateway replicas.
/// Both implement exactly this, and one test class runs against both. Writes are batches from the journal writer;
/// a request id already stored is skipped (replay is idempotent) and rollups (hour and day × user, group, key,
/// org × model × source) are updated in the same transaction, so reports never scan raw records.
/// </summary>
public interface IUsageStore : IAsyncDisposable
{
    /// <summary><c>sqlite</c> or <c>postgresql</c>.</summary>
    string Kind { get; }

    /// <summary>Applies pending versioned migrations; returns the schema version now in force.</summary>
    Task<int> MigrateAsync(CancellationToken cancellationToken);

    /// <summary>Stores a batch in one transaction; returns how many were new (not already stored).</summary>
    Task<int> WriteAsync(IReadOnlyList<UsageRecord> records, CancellationToken cancellationToken);

    Task<IReadOnlyList<UsageReportRow>> ReportAsync(UsageReportQuery query, CancellationToken cancellationToken);

    /// <summary>Totals for one user/group/key (or the org) in [<paramref name="windowStart"/>, <paramref name="windowEnd"/>): hour rollups plus the raw records of the partial hours at either end.</summary>
    Task<UsageTotals> TotalsAsync(UsageDimension dimension, string value, DateTimeOffset windowStart, DateTimeOffset windowEnd, CancellationToken cancellationToken);

    /// <summary>Most recent records, newest first; <paramref name="refusedOnly"/> for the dashboard's "recent refusals".</summary>
    Task<IReadOnlyList<UsageRecord>> RecentAsync(bool refusedOnly, int limit, CancellationToken cancellationToken);

    /// <summary>Deletes raw records older than <paramref name="before"/> (rollups are kept); returns how many.</summary>
    Task<long> PruneAsync(DateTimeOffset before, CancellationToken cancellationToken);

    Task<long> CountRecordsAsync(CancellationToken cancellationToken);

    /// <summary>Throws when the store cannot be reached.</summary>
    Task PingAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<BudgetDefinition>> ListBudgetsAsync(CancellationToken cancellationToken);

    Task SetBudgetAsync(BudgetDefinition budget, CancellationToken cancellationToken);

    Task<bool> DeleteBudgetAsync(string id, CancellationToken cancellationToken);

    /// <summary>Rate limits set at run time (the dashboard); each overrides the configured limit with the same <see cref="Limits.RateLimitDefinition.Id"/>.</summary>
    Task<IReadOnlyList<Limits.RateLimitDefinition>> ListRateLimitsAsync(CancellationToken cancellationToken);

    Task SetRateLimitAsync(Limits.RateLimitDefinition limit, CancellationToken cancellationToken);

    Task<bool> DeleteRateLimitAsync(string id, CancellationToken cancellationToken);
}
