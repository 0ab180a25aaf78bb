using Basalt.Gateway.Authentication;
using Basalt.Gateway.Configuration;
using Basalt.Gateway.Routing;
using Basalt.Usage.Limits;

namespace Basalt.Gateway.Hosting;

/// <summary>
/// Applies a re-read configuration to a running gateway without a restart (issue 11 item 2; issue 12 item 5 for
/// policies): API keys, models/aliases/routes, groups, content policies, budgets and rate limits. All or nothing:
/// a file with errors, routes to an upstream this process did not start with, or a policy change that needs a
/// restart leave everything as it runs. Listeners, TLS certificates, upstreams and their credentials, limits,
/// failover, identity, archive and the usage store are bound when the process starts; a reload keeps their running
/// values and its message names them. The result is kept on the handler for <c>/readyz</c>.
/// </summary>
public static class GatewayReloader
{
    /// <summary>What a reload never changes, named in every message so operators know to restart for them.</summary>
    public const string RestartOnly = "listen, TLS certificates, upstreams, limits, failover, identity, archive, usage store";

    public static GatewayReloadResult Reload(GatewayHandler handler, GatewayConfigResult next, ConfiguredApiKeyAuthenticator? keys, UsageAdmissionPolicy? admission, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(next);
        var at = (time ?? TimeProvider.System).GetUtcNow();
        var result = Apply(handler, next, keys, admission, at);
        handler.LastReload = result;
        return result;
    }

    private static GatewayReloadResult Apply(GatewayHandler handler, GatewayConfigResult next, ConfiguredApiKeyAuthenticator? keys, UsageAdmissionPolicy? admission, DateTimeOffset at)
    {
        var running = handler.Services.Options;
        if (next.Options is not { } options)
        {
            var errors = next.Diagnostics.Where(d => d.IsError).ToList();
            var first = errors.Count > 0 ? errors[0].ToString() : "the configuration could not be read";
            return new GatewayReloadResult(false, at, $"configuration not reloaded: {errors.Count} error(s), first: {first}; the running configuration stays") { Errors = errors };
        }

        var unknown = options.Models.SelectMany(m => m.Routes).Select(r => r.Upstream).Where(u => !running.Upstreams.ContainsKey(u)).Distinct(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            return new GatewayReloadResult(false, at, $"configuration not reloaded: routes use upstream(s) {string.Join(", ", unknown)} that this process did not start with; restart the gateway to add upstreams; the running configuration stays");
        }

        var restart = NeedRestart(running, options);
        // The policy swap is the one step that can still refuse (an archive that is not open), so it goes first:
        // when it refuses nothing else has changed.
        var (policyApplied, policyMessage) = handler.Policy.Reload(options);
        if (!policyApplied)
        {
            return new GatewayReloadResult(false, at, $"configuration not reloaded: {policyMessage}; the running configuration stays");
        }

        // Reloadable parts from the new file, the rest as the process started.
        var merged = new GatewayOptions
        {
            Listeners = running.Listeners,
            Upstreams = running.Upstreams,
            Models = options.Models,
            Groups = options.Groups,
            ApiKeys = options.ApiKeys,
            Limits = running.Limits,
            Failover = running.Failover,
            Usage = running.Usage,
            Identity = running.Identity,
            Archive = running.Archive,
            Source = options.Source,
            Warnings = options.Warnings,
        };
        keys?.Replace(options.ApiKeys);
        handler.Services.Swap(merged, new ModelRouter(merged, handler.Catalogue));
        var limits = options.Usage.Options?.Limits;
        if (admission is not null && limits is not null && running.Usage.Enabled)
        {
            admission.ReplaceLimits(limits);
        }

        // A host that brought its own admission policy (tests, embedding code) keeps it: no budgets are swapped.
        var budgets = admission is null ? "budgets and rate limits not managed here" : $"{limits?.Budgets.Count ?? 0} budget(s), {limits?.RateLimits.Count ?? 0} rate limit(s)";
        var message = $"configuration reloaded from {options.Source}: {options.ApiKeys.Count} API key(s), {options.Models.Count} model(s), {options.Groups.Count} group(s), "
            + $"{budgets}; {policyMessage}. "
            + (restart.Count > 0 ? $"Changed but kept as running until a restart: {string.Join(", ", restart)}. " : string.Empty)
            + $"Never reloaded (restart to change): {RestartOnly}.";
        return new GatewayReloadResult(true, at, message) { NeedRestart = restart };
    }

    private static List<string> NeedRestart(GatewayOptions running, GatewayOptions next)
    {
        var changed = new List<string>();
        if (!running.Listeners.SequenceEqual(next.Listeners))
        {
            changed.Add("listen");
        }

        if (running.Upstreams.Count != next.Upstreams.Count || running.Upstreams.Any(u => !next.Upstreams.TryGetValue(u.Key, out var n) || n != u.Value))
        {
            changed.Add("upstreams");
        }

        if (running.Limits != next.Limits)
        {
            changed.Add("limits");
        }

        if (running.Failover != next.Failover)
        {
            changed.Add("failover");
        }

        if (running.Archive != next.Archive)
        {
            changed.Add("archive");
        }

        if (running.Usage.Enabled != next.Usage.Enabled
            || running.Usage.Options?.StoreKind != next.Usage.Options?.StoreKind
            || running.Usage.Options?.StoreTarget != next.Usage.Options?.StoreTarget)
        {
            changed.Add("usage store");
        }

        return changed;
    }
}
