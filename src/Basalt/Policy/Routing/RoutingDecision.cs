namespace Basalt.Policy.Routing;

/// <summary>
/// The outcome for one request: the model to serve (a gateway model name), which rule chose it (for usage records and
/// the report of what routing saved), or a refusal message naming what was asked and what the group may use.
/// </summary>
public sealed record RoutingDecision(string Requested, string Served, string? Rule, string? Refusal = null)
{
    public bool Refused => Refusal is not null;

    public bool Changed => !string.Equals(Requested, Served, StringComparison.Ordinal);
}
