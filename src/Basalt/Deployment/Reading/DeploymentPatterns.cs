using System.Text.RegularExpressions;

namespace Basalt.Deployment.Reading;

/// <summary>The shapes of names and ids in a deployment file.</summary>
internal static partial class DeploymentPatterns
{
    /// <summary>Deployment and group names (they become folder and profile names).</summary>
    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$", RegexOptions.CultureInvariant)]
    public static partial Regex Name();

    [GeneratedRegex("^[0-9]{12}$", RegexOptions.CultureInvariant)]
    public static partial Regex Account();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*$", RegexOptions.CultureInvariant)]
    public static partial Regex ProfileName();

    [GeneratedRegex("^[A-Za-z0-9+=,.@_-]{1,64}$", RegexOptions.CultureInvariant)]
    public static partial Regex RoleName();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]*(\\.[A-Za-z0-9][A-Za-z0-9-]*)+$", RegexOptions.CultureInvariant)]
    public static partial Regex Identifier();

    [GeneratedRegex("^[A-Z_][A-Z0-9_]*$", RegexOptions.CultureInvariant)]
    public static partial Regex EnvName();

    [GeneratedRegex(@"^[A-Za-z]:\\", RegexOptions.CultureInvariant)]
    public static partial Regex WindowsAbsolute();
}
