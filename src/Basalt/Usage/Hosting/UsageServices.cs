using Basalt.Bedrock.Models;
using Basalt.Usage.Audit;
using Basalt.Usage.Ingest;
using Basalt.Usage.Journal;
using Basalt.Usage.Limits;
using Basalt.Usage.Pricing;
using Basalt.Usage.Reports;
using Basalt.Usage.Stores;
using Basalt.Usage.Telemetry;

namespace Basalt.Usage.Hosting;

/// <summary>
/// Everything usage gives the gateway host, built from <see cref="UsageOptions"/> in one call so the host only maps
/// HTTP to it: the durable <see cref="IUsageSink"/>, the <see cref="IAdmissionPolicy"/> (budgets + rate limits),
/// metrics, audit, device-telemetry ingest, the admin queries, and readiness for <c>/readyz</c>. Disposing is the
/// graceful stop: unused limit slices go back to the ledger and the journal is flushed into the store.
/// </summary>
public sealed class UsageServices : IAsyncDisposable
{
    private readonly UsageOptions options;

    private UsageServices(UsageOptions options, IUsageStore store, UsagePricer pricer, DurableUsageSink sink, UsageAdmissionPolicy policy, UsageMetrics metrics, AuditLog? audit)
    {
        this.options = options;
        Store = store;
        Pricer = pricer;
        Sink = sink;
        Admission = policy;
        Metrics = metrics;
        Audit = audit;
        DeviceIngest = new DeviceTelemetryIngest(pricer);
        Admin = new UsageAdminQueries(store, options.Limits.Budgets, pricer);
        Dashboard = new UsageDashboardQueries(store);
    }

    public IUsageStore Store { get; }
    public UsagePricer Pricer { get; }
    public DurableUsageSink Sink { get; }
    public UsageAdmissionPolicy Admission { get; }
    public UsageMetrics Metrics { get; }
    public AuditLog? Audit { get; }
    public DeviceTelemetryIngest DeviceIngest { get; }
    public UsageAdminQueries Admin { get; }

    /// <summary>The admin dashboard's reads (issue 11).</summary>
    public UsageDashboardQueries Dashboard { get; }

    /// <summary>Budgets configured in the file (the store's, edited at run time, override these by id).</summary>
    public IReadOnlyList<Budgets.BudgetDefinition> ConfiguredBudgets => options.Limits.Budgets;

    /// <summary>Rate limits configured in the file.</summary>
    public IReadOnlyList<RateLimitDefinition> ConfiguredRateLimits => options.Limits.RateLimits;

    /// <summary>
    /// Opens the store (running migrations), the journal (replaying what a previous run left), and builds the
    /// policy. A store that is down at start does not stop the gateway: the journal takes records and budgets
    /// fail closed (or open) until it returns; <see cref="Readiness"/> says why.
    /// </summary>
    public static async Task<UsageServices> StartAsync(UsageOptions options, ModelCatalogue catalogue, CancellationToken cancellationToken)
    {
        var store = UsageStoreFactory.Open(options.StoreKind, options.StoreTarget);
        try
        {
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or TimeoutException)
        {
            // Not fatal: the writer retries and readiness reports it.
        }

        var pricer = UsagePricer.FromCatalogue(catalogue, options.PriceOverrides, options.FallbackPrice);
        var sink = DurableUsageSink.Open(options.JournalDirectory, store, pricer, options.ShutdownFlushTimeout, options.JournalSyncInterval);
        var audit = options.AuditPath is null ? null : AuditLog.Open(options.AuditPath);
        var metrics = new UsageMetrics(() => sink.Health);
        sink.Recorded += metrics.Record;
        var policy = options.SharedLimits
            ? UsageAdmissionPolicy.Shared(options.Limits, pricer, store, audit, metrics)
            : UsageAdmissionPolicy.SingleReplica(options.Limits, pricer, store, audit, metrics);
        return new UsageServices(options, store, pricer, sink, policy, metrics, audit);
    }

    /// <summary>Ready unless the store refuses writes or budgets cannot be checked; the reason is for <c>/readyz</c>.</summary>
    public (bool Ready, string? Reason) Readiness()
    {
        var health = Sink.Health;
        if (!health.StoreHealthy)
        {
            return (false, $"usage store ({Store.Kind}) unavailable: {health.LastError}; {health.BacklogBytes} bytes waiting in the journal, nothing is lost");
        }

        return Admission.OutageReason is { } reason ? (false, reason) : (true, null);
    }

    /// <summary>Deletes raw records past retention; call periodically (e.g. hourly).</summary>
    public Task<long> PruneAsync(CancellationToken cancellationToken) =>
        options.RawRetention is { } keep ? Store.PruneAsync(DateTimeOffset.UtcNow - keep, cancellationToken) : Task.FromResult(0L);

    public async ValueTask DisposeAsync()
    {
        await Admission.DisposeAsync().ConfigureAwait(false);
        await Sink.DisposeAsync().ConfigureAwait(false);
        await Store.DisposeAsync().ConfigureAwait(false);
        Metrics.Dispose();
        Audit?.Dispose();
    }
}
