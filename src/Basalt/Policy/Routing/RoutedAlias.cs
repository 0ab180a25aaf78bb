namespace Basalt.Policy.Routing;

/// <summary>
/// A model name clients may ask for (<c>auto</c>) that is decided per request by its shape: the first rule that
/// matches wins, else <see cref="Default"/>. Targets are gateway model names or aliases.
/// </summary>
public sealed record RoutedAlias(string Name, IReadOnlyList<RoutingRule> Rules, string Default);
