namespace Basalt.Gateway.Configuration;

/// <summary>A configured override of a catalogue feature rule: <c>pass</c>, <c>strip</c>, <c>reject</c> or <c>map:&lt;to&gt;</c>.</summary>
public sealed record GatewayRuleOverride(string Name, string Action, string? MapTo);
