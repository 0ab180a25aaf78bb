namespace Basalt.Policy.Routing;

/// <summary>
/// The outcome for one request: the model to serve (a gateway model name), which rule chose it (for usage records and
/// the report of what routing saved), or a refusal message naming what was asked and what the group may use.
/// </summary>
public sealed record RoutingDecision(string Requested, string Served, string? Rule, string? Refusal = null)
{
    /// <summary>
    /// What would have been served without routing — the alias's default for a shape-routed alias, the model asked for
    /// in a rewrite — so reports can price the same tokens at its list price and show what routing saved.
    /// </summary>
    public string? Baseline { get; init; }

    public bool Refused => Refusal is not null;

    public bool Changed => !string.Equals(Requested, Served, StringComparison.Ordinal);
}
