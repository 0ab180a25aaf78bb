using Basalt.Usage.Stores;

namespace Basalt.Usage.Limits;

/// <summary>
/// Rate limits for one user, group or key (issue 10 item 6); <see cref="ScopeValue"/> <c>*</c> applies them to each
/// user/group/key separately. Windows are fixed calendar minutes (UTC): in any minute-aligned window no more than
/// the limit is admitted. Output tokens are reserved from <c>max_tokens</c> at admission and corrected to the
/// metered count at completion (Anthropic's documented OTPM behaviour); input tokens from the request's estimate.
/// </summary>
public sealed record RateLimitDefinition
{
    public required UsageDimension Scope { get; init; }
    public string ScopeValue { get; init; } = "*";
    public long? RequestsPerMinute { get; init; }
    public long? InputTokensPerMinute { get; init; }
    public long? OutputTokensPerMinute { get; init; }
    public int? ConcurrentStreams { get; init; }

    /// <summary>
    /// <c>scope:value</c> (<c>user:bob</c>, <c>group:*</c>, <c>org:*</c>): one limit per scope and value, so a limit
    /// set in the store (the dashboard) replaces the configured one with the same id.
    /// </summary>
    public string Id => $"{Scope.ToString().ToLowerInvariant()}:{(Scope == UsageDimension.Org ? "*" : ScopeValue)}";

    public bool AppliesTo(string value) => Scope == UsageDimension.Org || ScopeValue == "*" || string.Equals(ScopeValue, value, StringComparison.Ordinal);
}
