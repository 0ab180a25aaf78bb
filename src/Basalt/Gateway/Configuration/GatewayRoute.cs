namespace Basalt.Gateway.Configuration;

/// <summary>One place a model is served: an upstream and the Bedrock model id there (foundation id, system or
/// application inference profile id, or ARN).</summary>
public sealed record GatewayRoute(string Upstream, string ModelId);
