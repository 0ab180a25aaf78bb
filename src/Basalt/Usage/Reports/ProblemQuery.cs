namespace Basalt.Usage.Reports;

/// <summary>
/// Refused and failed requests for the dashboard (raw records through the partial problems index): by time, and
/// optionally one user, a group, a model, an error type, an outcome, and a team lead's <see cref="Teams"/>.
/// </summary>
public sealed record ProblemQuery
{
    public required DateTimeOffset From { get; init; }

    public required DateTimeOffset To { get; init; }

    /// <summary>Only this outcome (RefusedByPolicy, UpstreamError, InvalidRequest); null = all three.</summary>
    public IReadOnlyList<UsageOutcome>? Outcomes { get; init; }

    public string? User { get; init; }

    public string? Group { get; init; }

    public string? Model { get; init; }

    /// <summary>The error type (e.g. <c>billing_error</c>, <c>rate_limit_error</c>).</summary>
    public string? Reason { get; init; }

    /// <summary>Only requests by members of these groups (a team lead); null = everyone.</summary>
    public IReadOnlyList<string>? Teams { get; init; }

    /// <summary>time, user, model, status.</summary>
    public string Sort { get; init; } = "time";

    public bool Descending { get; init; } = true;

    public int Limit { get; init; } = 50;

    public int Offset { get; init; }
}
