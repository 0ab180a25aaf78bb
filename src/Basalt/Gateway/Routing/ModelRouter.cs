using Basalt.Bedrock.Models;
using Basalt.Gateway.Configuration;

namespace Basalt.Gateway.Routing;

/// <summary>
/// Resolves what a client asked for to a configured model: its gateway id or an alias, a Bedrock id one of its
/// routes uses (Claude Code in Bedrock mode sends <c>us.anthropic.…</c> or an application-inference-profile ARN),
/// or any id the model catalogue knows for the same model (a dated Anthropic id, a foundation id, another geo
/// prefix). Also answers which models a caller's groups allow.
/// </summary>
internal sealed class ModelRouter
{
    private readonly Dictionary<string, RoutedModel> _byName = new(StringComparer.Ordinal);
    private readonly ModelCatalogue _catalogue;

    public ModelRouter(GatewayOptions options, ModelCatalogue catalogue)
    {
        _catalogue = catalogue;
        var models = new List<RoutedModel>();
        foreach (var model in options.Models)
        {
            var definition = _catalogue.Find(model.CatalogueId ?? model.Id)
                ?? model.Routes.Select(r => _catalogue.Find(r.ModelId)).FirstOrDefault(d => d is not null);
            var routed = new RoutedModel(model, definition);
            models.Add(routed);
            _byName[model.Id] = routed;
            foreach (var alias in model.Aliases)
            {
                _byName[alias] = routed;
            }
        }

        foreach (var routed in models)
        {
            foreach (var route in routed.Model.Routes)
            {
                _byName.TryAdd(route.ModelId, routed);
            }
        }

        Models = models;
    }

    public IReadOnlyList<RoutedModel> Models { get; }

    public ModelCatalogue Catalogue => _catalogue;

    public RoutedModel? Resolve(string requested)
    {
        if (string.IsNullOrEmpty(requested))
        {
            return null;
        }

        if (_byName.TryGetValue(requested, out var direct))
        {
            return direct;
        }

        if (_catalogue.Find(requested) is { } definition)
        {
            foreach (var model in Models)
            {
                if (model.Definition is not null && string.Equals(model.Definition.ClientId, definition.ClientId, StringComparison.Ordinal))
                {
                    return model;
                }
            }
        }

        return null;
    }

    public static bool Allows(GatewayOptions options, Identity.Principal principal, RoutedModel model)
    {
        foreach (var group in principal.Groups)
        {
            if (options.Groups.TryGetValue(group, out var g) && g.Allows(model.Model.Id))
            {
                return true;
            }
        }

        return false;
    }
}
