using Basalt.Usage.Pricing;

namespace Basalt.Usage.Stores;

/// <summary>Summed usage for one report row (or a budget's window). Cost in nano-dollars.</summary>
public sealed record UsageTotals
{
    public long Requests { get; init; }
    public long InputTokens { get; init; }
    public long OutputTokens { get; init; }
    public long CacheReadTokens { get; init; }
    public long CacheWriteTokens { get; init; }
    public long CostNanos { get; init; }

    /// <summary>Requests whose token counts were estimated (stream ended without final usage).</summary>
    public long EstimatedRequests { get; init; }

    /// <summary>Requests priced by the configured fallback (unknown model): flagged in reports.</summary>
    public long FallbackPricedRequests { get; init; }

    /// <summary>Requests of an unknown model with no fallback price: cost 0, flagged in reports.</summary>
    public long UnpricedRequests { get; init; }

    /// <summary>Requests refused by policy (budgets, rate limits).</summary>
    public long RefusedRequests { get; init; }

    /// <summary>Requests reported by devices' own telemetry rather than metered by the gateway.</summary>
    public long DeviceReportedRequests { get; init; }

    /// <summary>Requests that ended in an upstream error or were invalid (the dashboard's error rate).</summary>
    public long ErrorRequests { get; init; }

    public long TotalTokens => InputTokens + OutputTokens + CacheReadTokens + CacheWriteTokens;

    public decimal CostUsd => UsagePricer.FromNanos(CostNanos);

    public static UsageTotals Empty { get; } = new();
}
