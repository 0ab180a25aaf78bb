using Basalt.Bedrock.Models;
using Basalt.Diagnostics;
using Basalt.ManagedConfig;

namespace Basalt.Deployment;

/// <summary>
/// A set of users that gets its own profile: everything below is already merged from the top-level sections
/// and the group's overrides, and every secret reference is resolved.
/// </summary>
public sealed record DeploymentGroup(
    string Name,
    string? Description,
    InferenceProvider Provider,
    IReadOnlyList<DeploymentPlatform> Platforms,
    AwsSettings? Aws,
    AuthSettings Auth,
    IReadOnlyList<ModelSettings> Models,
    IReadOnlyList<ConfigSetting> Policy,
    IReadOnlyList<ConfigSetting> Telemetry,
    ClaudeCodeSettings ClaudeCode,
    OrganizationSettings Organization,
    SourceLocation Location)
{
    /// <summary>
    /// The catalogue this deployment was read against: Basalt's shipped file with the deployment's
    /// <c>modelCatalogue:</c> additions and overrides, so generation knows the same models validation knew.
    /// </summary>
    public ModelCatalogue ModelCatalogue { get; init; } = ModelCatalogue.Default;
}
