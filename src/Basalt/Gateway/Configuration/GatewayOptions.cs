using Basalt.Diagnostics;

namespace Basalt.Gateway.Configuration;

/// <summary>
/// A validated gateway configuration (issue 8 item 1): listeners, upstreams, models and their ordered routes,
/// groups, API keys (hashed), limits and failover. Built only by <see cref="GatewayConfigReader"/>, which refuses a
/// configuration with any error, so a value of this type is always complete (the gateway fails closed).
/// </summary>
public sealed class GatewayOptions
{
    public required IReadOnlyList<GatewayListener> Listeners { get; init; }

    public required IReadOnlyDictionary<string, GatewayUpstream> Upstreams { get; init; }

    /// <summary>Models by their gateway id (the id clients send and <c>/v1/models</c> lists).</summary>
    public required IReadOnlyList<GatewayModel> Models { get; init; }

    public required IReadOnlyDictionary<string, GatewayGroup> Groups { get; init; }

    public required IReadOnlyList<GatewayApiKey> ApiKeys { get; init; }

    public GatewayLimits Limits { get; init; } = new();

    public GatewayFailover Failover { get; init; } = new();

    /// <summary>Usage recording, budgets, limits, admin API and telemetry (issue 10); off unless configured or read from a file.</summary>
    public GatewayUsage Usage { get; init; } = GatewayUsage.Disabled;

    /// <summary>OIDC issuers, group members and managed keys (issue 9); none by default.</summary>
    public GatewayIdentity Identity { get; init; } = GatewayIdentity.None;

    /// <summary>The prompt archive's store and key (issue 12); null when no group archives.</summary>
    public GatewayArchive? Archive { get; init; }

    /// <summary>The admin dashboard's sign-in and roles (issue 11); null when the dashboard is off.</summary>
    public GatewayDashboard? Dashboard { get; init; }

    /// <summary>Where the configuration was read from (for messages).</summary>
    public string Source { get; init; } = "(code)";

    /// <summary>Warnings found while reading (errors never produce options).</summary>
    public IReadOnlyList<Diagnostic> Warnings { get; init; } = [];
}
