using Basalt.Bedrock.Models;
using Basalt.Diagnostics;

namespace Basalt.Deployment;

/// <summary>
/// One model offered to a group. <see cref="Id"/> is what the file says (a foundation-model id, a full
/// inference-profile id or an ARN); <see cref="ResolvedId"/> is what the clients send after the inference-profile
/// scope was applied. The other fields become the <c>inferenceModels</c> entry object (cowork3p-reference §7.1).
/// </summary>
public sealed record ModelSettings(
    string Alias,
    string Id,
    string ResolvedId,
    SourceLocation Location,
    string? Label = null,
    string? Tier = null,
    bool? Supports1m = null,
    bool? Prefer1m = null,
    bool? IsFamilyDefault = null)
{
    /// <summary>
    /// The model's entry in the deployment's catalogue (with its <c>modelCatalogue:</c> overrides), or null for an
    /// id the catalogue does not know (an application-inference-profile ARN, a gateway route name).
    /// </summary>
    public ModelDefinition? Definition { get; init; }

    /// <summary>The family: the file's <c>tier:</c>, else the catalogue's family of the model.</summary>
    public string? Family => Tier ?? Definition?.Family;
}
