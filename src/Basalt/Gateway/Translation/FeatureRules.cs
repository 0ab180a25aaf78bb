using Basalt.Bedrock.Models;
using Basalt.Gateway.Configuration;

namespace Basalt.Gateway.Translation;

/// <summary>
/// The beta and body-field rules for one served model (issue 8 item 4): the model catalogue's table (data shipped
/// with Basalt, seeded from gateway.md §1.4, every rule citing its source), overridden per model by the gateway
/// configuration (<c>models.ID.betas</c> / <c>.fields</c>). Without a catalogue entry the catalogue-wide defaults apply.
/// </summary>
internal sealed class FeatureRules
{
    private readonly ModelCatalogue _catalogue;
    private readonly ModelDefinition? _model;
    private readonly GatewayModel _configured;

    public FeatureRules(ModelCatalogue catalogue, ModelDefinition? model, GatewayModel configured)
    {
        _catalogue = catalogue;
        _model = model;
        _configured = configured;
    }

    public FeatureRule Beta(string beta)
        => _configured.BetaOverrides.TryGetValue(beta, out var o) ? FromOverride(o, "betas")
            : _model is not null ? _catalogue.BetaRule(_model, beta)
            : new FeatureRule(beta, FeatureAction.Pass, null, "gateway.md §1.2 (no catalogue entry: forward as an open list)");

    public FeatureRule Field(string field)
        => _configured.FieldOverrides.TryGetValue(field, out var o) ? FromOverride(o, "fields")
            : _model is not null ? _catalogue.FieldRule(_model, field)
            : new FeatureRule(field, FeatureAction.Pass, null, "gateway.md §1.2 (no catalogue entry: forward unchanged)");

    private FeatureRule FromOverride(GatewayRuleOverride o, string kind)
        => new(o.Name, o.Action switch
        {
            "strip" => FeatureAction.Strip,
            "reject" => FeatureAction.Reject,
            "map" => FeatureAction.Map,
            _ => FeatureAction.Pass,
        }, o.MapTo, $"gateway configuration models.{_configured.Id}.{kind}");
}
