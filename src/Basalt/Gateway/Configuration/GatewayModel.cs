namespace Basalt.Gateway.Configuration;

/// <summary>
/// A model clients may ask for: its gateway <see cref="Id"/> (what <c>/v1/models</c> lists), extra
/// <see cref="Aliases"/> (e.g. <c>sonnet</c>, a Bedrock profile id), the catalogue id whose feature rules apply,
/// the ordered upstream routes (failover order), and per-model rule overrides (beta or field name → action).
/// </summary>
public sealed record GatewayModel(
    string Id,
    IReadOnlyList<string> Aliases,
    string? CatalogueId,
    string? DisplayName,
    IReadOnlyList<GatewayRoute> Routes,
    IReadOnlyDictionary<string, GatewayRuleOverride> BetaOverrides,
    IReadOnlyDictionary<string, GatewayRuleOverride> FieldOverrides);
