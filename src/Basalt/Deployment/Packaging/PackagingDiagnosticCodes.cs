namespace Basalt.Deployment.Packaging;

/// <summary>Stable diagnostic codes of <c>basalt deploy package</c> (BSL707x, next to <see cref="DeploymentDiagnosticCodes"/>).</summary>
public static class PackagingDiagnosticCodes
{
    /// <summary>A platform's package has no <c>basalt-credential</c> binary (warning).</summary>
    public const string MissingHelperBinary = "BSL7070";

    /// <summary>A file the package needs was not generated (error).</summary>
    public const string MissingGeneratedFile = "BSL7071";
}
