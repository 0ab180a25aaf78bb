using Basalt.Diagnostics;
using Basalt.ManagedConfig;

namespace Basalt.Deployment.Generation;

/// <summary>
/// The validator's verdict on one group's managed configuration on one platform (what the app would make of
/// it); locations in its diagnostics point into <c>basalt.yaml</c>.
/// </summary>
public sealed record GroupValidation(string Group, DeploymentPlatform Platform, ValidationResult Result)
{
    public IReadOnlyList<Diagnostic> Diagnostics => Result.Diagnostics;

    public bool HasErrors => Result.HasErrors;
}
