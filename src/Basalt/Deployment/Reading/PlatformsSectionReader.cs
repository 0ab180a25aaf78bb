using Basalt.Diagnostics;
using Basalt.Diagnostics.Reading;

namespace Basalt.Deployment.Reading;

/// <summary>
/// Reads <c>platforms:</c>, the operating systems to generate for (all three when absent).
/// </summary>
internal static class PlatformsSectionReader
{
    public static List<DeploymentPlatform> Read(FieldReader context, InputNode node)
    {
        var list = context.StringList(node, "platforms", string.Empty);
        if (list is null)
        {
            return [.. DeploymentPlatformNames.All];
        }

        var platforms = new List<DeploymentPlatform>();
        foreach (var item in list)
        {
            if (DeploymentPlatformNames.TryParse(item.Value, out var platform))
            {
                if (!platforms.Contains(platform))
                {
                    platforms.Add(platform);
                }
            }
            else
            {
                context.Diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, DeploymentDiagnosticCodes.InvalidValue,
                    $"'{item.Value}' is not a platform; expected macos, windows or linux", "platforms", item.Location, "use macos, windows and/or linux"));
            }
        }

        if (list.Count == 0)
        {
            context.Error(DeploymentDiagnosticCodes.InvalidValue, node.Get("platforms")!, "platforms", "the list is empty; expected at least one of macos, windows, linux", "list the platforms to generate for, or remove the key for all three");
        }

        platforms.Sort();
        return platforms;
    }
}
