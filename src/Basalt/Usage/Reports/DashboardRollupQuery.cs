namespace Basalt.Usage.Reports;

/// <summary>
/// One read of the rollups for the dashboard (issue 11 item 4: never raw records): [<see cref="From"/>,
/// <see cref="To"/>) at hour resolution, restricted to <see cref="Values"/> (exact) or <see cref="Prefixes"/>
/// (member ranges such as <c>engineering|</c>), grouped, sorted by a whitelisted field and paged.
/// </summary>
public sealed record DashboardRollupQuery
{
    public required RollupDimension Dimension { get; init; }

    public required DateTimeOffset From { get; init; }

    public required DateTimeOffset To { get; init; }

    public RollupGrouping GroupBy { get; init; } = RollupGrouping.Value;

    /// <summary>Bucket rows per hour (else per UTC day); only for <see cref="RollupGrouping.Bucket"/>.</summary>
    public bool HourBuckets { get; init; }

    public IReadOnlyList<string>? Values { get; init; }

    public IReadOnlyList<string>? Prefixes { get; init; }

    /// <summary>Only gateway-metered (<c>gateway</c>) or device-reported (<c>device</c>) usage; null = both.</summary>
    public string? Source { get; init; }

    /// <summary>Only rows of this model.</summary>
    public string? Model { get; init; }

    /// <summary>Only values containing this text (case-sensitive substring).</summary>
    public string? Contains { get; init; }

    /// <summary>A field of <see cref="DashboardRollupRow"/>: key, requests, inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, tokens, costUsd, errors, refused.</summary>
    public string Sort { get; init; } = "costUsd";

    public bool Descending { get; init; } = true;

    public int Limit { get; init; } = 50;

    public int Offset { get; init; }
}
