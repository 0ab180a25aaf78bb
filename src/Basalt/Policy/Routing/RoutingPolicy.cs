namespace Basalt.Policy.Routing;

/// <summary>
/// A group's routing (issue 12 item 4): shape-routed aliases, then rewrites. Applied before the gateway resolves the
/// model, so the usual model permissions, failover and usage apply to the model actually served; the usage record
/// keeps both the requested and the served model.
/// </summary>
public sealed class RoutingPolicy
{
    private readonly Dictionary<string, RoutedAlias> _aliases;
    private readonly Dictionary<string, ModelRewrite> _rewrites;

    public RoutingPolicy(IEnumerable<RoutedAlias> aliases, IEnumerable<ModelRewrite> rewrites)
    {
        _aliases = aliases.ToDictionary(a => a.Name, StringComparer.OrdinalIgnoreCase);
        _rewrites = rewrites.ToDictionary(r => r.From, StringComparer.OrdinalIgnoreCase);
    }

    public static RoutingPolicy None { get; } = new([], []);

    public bool IsEmpty => _aliases.Count == 0 && _rewrites.Count == 0;

    public IReadOnlyCollection<RoutedAlias> Aliases => _aliases.Values;

    public IReadOnlyCollection<ModelRewrite> Rewrites => _rewrites.Values;

    /// <summary>
    /// Decides for <paramref name="requested"/>; the body's shape is read only when an alias needs it.
    /// <paramref name="canonical"/> maps any name of a model to the name rewrites are keyed by (the gateway's model id).
    /// </summary>
    public RoutingDecision Decide(string requested, ReadOnlySpan<byte> body, Func<string, string>? canonical = null)
    {
        ArgumentNullException.ThrowIfNull(requested);
        var served = requested;
        string? rule = null;
        var baseline = requested;
        if (_aliases.TryGetValue(requested, out var alias))
        {
            var shape = RequestShape.Read(body);
            served = alias.Default;
            baseline = alias.Default;
            rule = $"{alias.Name}: default";
            foreach (var candidate in alias.Rules)
            {
                if (candidate.When.Matches(shape))
                {
                    served = candidate.Model;
                    rule = $"{alias.Name}: {candidate.When}";
                    break;
                }
            }
        }

        if (_rewrites.TryGetValue(canonical?.Invoke(served) ?? served, out var rewrite))
        {
            if (rewrite.To is null)
            {
                return new RoutingDecision(requested, served, "rewrite", $"this group may not use {served}; ask for one of the models GET /v1/models lists, or ask your administrator for access");
            }

            rule = rule is null ? $"rewrite {rewrite.From} → {rewrite.To}" : $"{rule}; rewrite {rewrite.From} → {rewrite.To}";
            served = rewrite.To;
        }

        return new RoutingDecision(requested, served, rule) { Baseline = rule is null ? null : baseline };
    }
}
