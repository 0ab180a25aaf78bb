namespace Basalt.Usage.Reports;

/// <summary>
/// One routing row priced (issue 12 item 4): what was asked for, what would have served it without routing, what did,
/// what the same tokens cost at the baseline's list price (null when the baseline has no known price) and the
/// difference (negative when routing sent work to a dearer model, e.g. long prompts to Opus).
/// </summary>
public sealed record RoutingSaving(string Requested, string Baseline, string Served, decimal? BaselineCostUsd, decimal? SavedUsd);
