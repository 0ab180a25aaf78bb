using Basalt.Gateway.Configuration;
using Basalt.Identity.ApiKeys;
using Basalt.Usage.Hosting;

namespace Basalt.Gateway.Dashboard;

/// <summary>What the dashboard's handlers work with: its configuration, usage (store, budgets, audit), managed keys, the clock.</summary>
internal sealed class DashboardServices(GatewayOptions options, GatewayDashboard config, UsageServices? usage, ApiKeyService? keys, ManagedApiKeyAuthenticator? keyCache, TimeProvider time)
{
    public GatewayOptions Options { get; } = options;

    public GatewayDashboard Config { get; } = config;

    public ApiKeyService? Keys { get; } = keys;

    public ManagedApiKeyAuthenticator? KeyCache { get; } = keyCache;

    public TimeProvider Time { get; } = time;

    /// <summary>Usage, or a 503 saying the dashboard needs it.</summary>
    public UsageServices Usage => usage ?? throw new DashboardException(503, "store_unavailable", "usage recording is off in this gateway's configuration (usage: enabled: false), so the dashboard has no data; turn it on");

    /// <summary>
    /// Writes a dashboard change to the audit log file (as every other security event) and to the store's audit
    /// table (so the dashboard of every replica lists it). Ids and figures only, never a key's text.
    /// </summary>
    public async Task AuditAsync(string eventName, DashboardSession actor, string? target, CancellationToken cancellationToken, params (string Name, object? Value)[] fields)
    {
        var usage = Usage;
        usage.Audit?.Write(eventName, actor.UserId, [("target", target), ("role", actor.RoleName), .. fields]);
        var details = DashboardWriter.Build(w =>
        {
            foreach (var (name, value) in fields)
            {
                DashboardWriter.Value(w, name, value);
            }
        });
        await usage.Dashboard.WriteAuditAsync(Time.GetUtcNow(), eventName, actor.UserId, target, System.Text.Encoding.UTF8.GetString(details), cancellationToken).ConfigureAwait(false);
    }
}
