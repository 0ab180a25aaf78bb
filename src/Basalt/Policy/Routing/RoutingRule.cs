namespace Basalt.Policy.Routing;

/// <summary>One rule of a shape-routed alias: when <see cref="When"/> holds, serve <see cref="Model"/>.</summary>
public sealed record RoutingRule(RoutingCondition When, string Model);
