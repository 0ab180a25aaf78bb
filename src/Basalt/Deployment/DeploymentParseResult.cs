using Basalt.Diagnostics;

namespace Basalt.Deployment;

/// <summary>The outcome of reading a deployment file: the model when there were no errors, and every diagnostic.</summary>
public sealed record DeploymentParseResult(DeploymentFile? File, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool Success => File is not null && !Diagnostics.Any(d => d.IsError);
}
