using Basalt.Diagnostics;

namespace Basalt.Deployment.Generation;

/// <summary>
/// The files of one <c>deploy generate</c> run (empty when anything failed) and every finding: validation of
/// each group's managed configuration and the generators' own.
/// </summary>
public sealed record DeploymentGenerationResult(
    IReadOnlyList<GeneratedArtifact> Artifacts,
    IReadOnlyList<Diagnostic> Diagnostics,
    IReadOnlyList<GroupValidation> Validations)
{
    public bool Success => Artifacts.Count > 0 && !Diagnostics.Any(d => d.IsError);
}
