using Basalt.Usage.Hosting;

namespace Basalt.Gateway.Configuration;

/// <summary>
/// The gateway configuration's <c>usage:</c> section (issue 10) as the host maps it: the library's
/// <see cref="UsageOptions"/> (store, journal, prices, budgets, rate limits, outage policy, retention, audit) plus
/// what only the host needs — who may call the admin API and scrape <c>/metrics</c>, and where to export OTLP.
/// <see cref="Enabled"/> false is the off switch (benchmarks, or a gateway whose usage is kept elsewhere): usage
/// is then only logged, nothing is admitted or refused by budgets or limits, and no usage routes are served.
/// </summary>
public sealed record GatewayUsage
{
    /// <summary>Usage off: what code-built options get (tests, benchmarks); a configuration file defaults to on.</summary>
    public static GatewayUsage Disabled { get; } = new() { Enabled = false };

    public bool Enabled { get; init; }

    /// <summary>What the library starts (<see cref="UsageServices.StartAsync"/>); null only when disabled.</summary>
    public UsageOptions? Options { get; init; }

    /// <summary>SHA-256 of each admin key (admin API and <c>/metrics</c>); the keys themselves are never kept.</summary>
    public IReadOnlyList<byte[]> AdminKeySha256 { get; init; } = [];

    /// <summary>Whether <paramref name="presented"/> is one of the admin keys (compared by hash, in constant time, against all of them).</summary>
    public bool IsAdminKey(string presented)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(presented));
        var match = false;
        foreach (var k in AdminKeySha256)
        {
            match |= System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(hash, k);
        }

        return match;
    }

    /// <summary>Principals in any of these groups (from API keys or identity) may call the admin API.</summary>
    public IReadOnlyList<string> AdminGroups { get; init; } = [];

    /// <summary>Serve <c>/metrics</c> without credentials (a scraper on a private network); default needs an admin credential.</summary>
    public bool PublicMetrics { get; init; }

    /// <summary>Push the gateway's metrics to an OpenTelemetry collector; null exports nothing (the scrape still works).</summary>
    public GatewayUsageExport? Export { get; init; }
}
