using Basalt.ManagedConfig.Formats;

namespace Basalt.Deployment.Generation;

/// <summary>
/// The Group Policy templates (<c>admx/claude.admx</c>, <c>admx/en-US/claude.adml</c>) for Intune or a central
/// store, once per deployment when any group targets Windows. Schema only, so they are the same for every group.
/// </summary>
public sealed class AdmxArtifactGenerator : IArtifactGenerator
{
    public string Name => "admx";

    public void Generate(ArtifactContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Plan.Groups.Any(g => g.Group.Platforms.Contains(DeploymentPlatform.Windows)))
        {
            return;
        }

        foreach (var (name, content) in ManagedConfigWriter.WriteAdmx().OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            context.Add($"admx/{name}", content);
        }
    }
}
