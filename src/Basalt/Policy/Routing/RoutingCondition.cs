namespace Basalt.Policy.Routing;

/// <summary>When a rule applies; unset parts match anything. All set parts must hold.</summary>
public sealed record RoutingCondition(long? MinInputTokens = null, long? MaxInputTokens = null, bool? Tools = null, bool? Thinking = null)
{
    public bool Matches(RequestShape shape) =>
        (MinInputTokens is not { } min || shape.EstimatedInputTokens >= min)
        && (MaxInputTokens is not { } max || shape.EstimatedInputTokens < max)
        && (Tools is not { } tools || shape.HasTools == tools)
        && (Thinking is not { } thinking || shape.HasThinking == thinking);

    public override string ToString()
    {
        var parts = new List<string>();
        if (MinInputTokens is { } min)
        {
            parts.Add($"input ≥ {min} tokens");
        }

        if (MaxInputTokens is { } max)
        {
            parts.Add($"input < {max} tokens");
        }

        if (Tools is { } tools)
        {
            parts.Add(tools ? "tools" : "no tools");
        }

        if (Thinking is { } thinking)
        {
            parts.Add(thinking ? "extended thinking" : "no thinking");
        }

        return parts.Count == 0 ? "always" : string.Join(", ", parts);
    }
}
