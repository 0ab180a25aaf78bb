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

    /// <summary>
    /// Whether <paramref name="principal"/> may use <paramref name="model"/>: one of its groups allows it, and when
    /// the credential itself is limited (a managed key's allowed models, <see cref="Identity.Principal.AllowedModels"/>),
    /// the model is also on that list (by gateway id, alias or catalogue client id).
    /// </summary>
    public static bool Allows(GatewayOptions options, Identity.Principal principal, RoutedModel model)
        => GroupsAllow(options, principal, model) && CredentialAllows(principal, model);

    /// <summary>
    /// The 403 message: which model, why, and how to get access (issue 9: name the model and the way in). Names
    /// only the caller's own groups and the groups that would allow the model, nothing about other users.
    /// </summary>
    public static string Denial(GatewayOptions options, Identity.Principal principal, RoutedModel model)
    {
        var id = model.Model.Id;
        if (!CredentialAllows(principal, model))
        {
            return $"model {id} is not among the models this credential ({principal.CredentialId}) may use: {string.Join(", ", principal.AllowedModels!)}. "
                + "Use one of those, or ask your gateway administrator for a key that includes it (basalt gateway keys create --models …).";
        }

        var granting = options.Groups.Values.Where(g => g.Allows(id)).Select(g => g.Name).Order(StringComparer.Ordinal).ToList();
        var mine = principal.Groups.Count == 0 ? "none" : string.Join(", ", principal.Groups);
        var way = granting.Count == 0
            ? "no group may use it yet; ask your gateway administrator to add it to a group under 'gateway.groups'"
            : $"groups that may use it: {string.Join(", ", granting)}; ask your gateway administrator to add you to one (your IdP group, or 'gateway.identity.members')";
        return $"model {id} is not allowed for {principal.UserId} (your groups: {mine}): {way}.";
    }

    private static bool GroupsAllow(GatewayOptions options, Identity.Principal principal, RoutedModel model)
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

    private static bool CredentialAllows(Identity.Principal principal, RoutedModel model)
    {
        if (principal.AllowedModels is not { } allowed)
        {
            return true;
        }

        foreach (var name in allowed)
        {
            if (string.Equals(name, model.Model.Id, StringComparison.Ordinal) || model.Model.Aliases.Contains(name, StringComparer.Ordinal)
                || string.Equals(name, model.Definition?.ClientId, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
