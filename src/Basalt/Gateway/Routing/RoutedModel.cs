using Basalt.Bedrock.Models;
using Basalt.Gateway.Configuration;

namespace Basalt.Gateway.Routing;

/// <summary>A configured model with its catalogue definition (null when the catalogue does not know it).</summary>
internal sealed record RoutedModel(GatewayModel Model, ModelDefinition? Definition);
