namespace Basalt.Policy.Routing;

/// <summary>
/// A group's rewrite: a request for <see cref="From"/> is served by <see cref="To"/>, or refused with a clear error
/// when <see cref="To"/> is null (a group allowed only Sonnet asking for Opus; issue 12 item 4).
/// </summary>
public sealed record ModelRewrite(string From, string? To);
