using System.Security.Cryptography;
using Basalt.Usage.Records;
using Basalt.Usage.Stores;

namespace Basalt.Usage.Reports;

/// <summary>
/// What the admin dashboard reads from the usage store (issue 11 item 4), over the same SQL for SQLite and PostgreSQL:
/// grouped rollups (never raw records) for usage figures, the partial problems index for refusals and errors, a
/// bounded window of recent requests for upstream latency, and the stored audit trail.
/// </summary>
public sealed class UsageDashboardQueries
{
    private readonly SqlUsageStore _store;

    public UsageDashboardQueries(IUsageStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store as SqlUsageStore ?? throw new ArgumentException($"the dashboard reads SQL usage stores; {store.GetType().Name} is not one", nameof(store));
    }

    public static IReadOnlyCollection<string> RollupSortFields => SqlUsageStore.RollupSortFields;

    public static IReadOnlyCollection<string> ProblemSortFields => SqlUsageStore.ProblemSortFields;

    public static IReadOnlyCollection<string> AuditSortFields => SqlUsageStore.AuditSortFields;

    public Task<DashboardPage<DashboardRollupRow>> RollupAsync(DashboardRollupQuery query, CancellationToken cancellationToken) => _store.DashboardRollupAsync(query, cancellationToken);

    public Task<long> GroupUserCountAsync(string group, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) => _store.GroupUserCountAsync(group, from, to, cancellationToken);

    public Task<bool> IsMemberOfAsync(string user, IReadOnlyList<string> teams, CancellationToken cancellationToken) => _store.IsMemberOfAsync(user, teams, cancellationToken);

    public Task<DashboardPage<UsageRecord>> ProblemsAsync(ProblemQuery query, CancellationToken cancellationToken) => _store.ProblemsAsync(query, cancellationToken);

    /// <summary>The store engine's plan for <see cref="ProblemsAsync"/> (which index serves the filter).</summary>
    internal Task<string> ProblemsPlanAsync(ProblemQuery query, CancellationToken cancellationToken) => _store.ProblemsPlanAsync(query, cancellationToken);

    public Task<IReadOnlyList<(string Outcome, string? Reason, long Count)>> ProblemReasonsAsync(DateTimeOffset from, DateTimeOffset to, IReadOnlyList<string>? teams, CancellationToken cancellationToken)
        => _store.ProblemReasonsAsync(from, to, teams, cancellationToken);

    public Task<IReadOnlyList<UpstreamSample>> UpstreamSamplesAsync(DateTimeOffset since, int max, CancellationToken cancellationToken) => _store.UpstreamSamplesAsync(since, max, cancellationToken);

    public Task<DashboardPage<AuditEntry>> AuditAsync(AuditQuery query, CancellationToken cancellationToken) => _store.AuditAsync(query, cancellationToken);

    public Task<IReadOnlyList<string>> AuditEventsAsync(CancellationToken cancellationToken) => _store.AuditEventsAsync(cancellationToken);

    /// <summary>Stores an audit event (ids and figures only, never a secret) so every replica's dashboard shows it.</summary>
    public Task WriteAuditAsync(DateTimeOffset time, string eventName, string? actor, string? target, string detailsJson, CancellationToken cancellationToken)
        => _store.WriteAuditAsync(new AuditEntry(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)), time, eventName, actor, target, detailsJson), cancellationToken);
}
