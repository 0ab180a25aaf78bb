namespace Basalt.Usage.Reports;

/// <summary>Stored audit events in [<see cref="From"/>, <see cref="To"/>), optionally of one event and actor, newest first unless asked.</summary>
public sealed record AuditQuery
{
    public required DateTimeOffset From { get; init; }

    public required DateTimeOffset To { get; init; }

    public string? Event { get; init; }

    public string? Actor { get; init; }

    /// <summary>time, event, actor, target.</summary>
    public string Sort { get; init; } = "time";

    public bool Descending { get; init; } = true;

    public int Limit { get; init; } = 50;

    public int Offset { get; init; }
}
