using Basalt.Deployment.Generation;
using Basalt.Diagnostics;

namespace Basalt.Deployment.Packaging;

/// <summary>
/// Builds the per-device install packages of <c>basalt deploy package</c> from what <c>basalt deploy generate</c>
/// produced: for every group that deploys <c>basalt-credential</c> and each of its platforms, a folder
/// <c>&lt;group&gt;/&lt;platform&gt;/</c> with <c>install.sh</c> (macOS, Linux) or <c>install.ps1</c> (Windows), the
/// helper binary when one is given for that platform, its settings, the AWS config profile, Claude Code's managed
/// settings, and Claude Desktop's managed file (Linux), policy script (Windows) or MDM profile (macOS, for the MDM).
/// </summary>
public static class InstallPackageBuilder
{
    public const string ShellScript = "install.sh";

    public const string PowerShellScript = "install.ps1";

    /// <param name="file">The parsed deployment file.</param>
    /// <param name="generated">The successful result of <see cref="DeploymentGenerator.Generate"/> for <paramref name="file"/>.</param>
    /// <param name="helperBinaries">The <c>basalt-credential</c> build per platform; a platform without one gets a script that keeps an already installed helper.</param>
    /// <param name="diagnostics">Receives a warning per package without a binary and an error per missing input artifact.</param>
    /// <returns>The package files (relative paths, forward slashes) plus a manifest; empty when no group deploys the helper.</returns>
    public static IReadOnlyList<GeneratedArtifact> Build(
        DeploymentFile file,
        DeploymentGenerationResult generated,
        IReadOnlyDictionary<DeploymentPlatform, ReadOnlyMemory<byte>> helperBinaries,
        ICollection<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(generated);
        ArgumentNullException.ThrowIfNull(helperBinaries);
        ArgumentNullException.ThrowIfNull(diagnostics);
        var inputs = generated.Artifacts.ToDictionary(a => a.RelativePath, StringComparer.Ordinal);
        var output = new List<GeneratedArtifact>();
        foreach (var group in file.Groups)
        {
            if (group.Auth.Approach != AuthApproach.CredentialHelper || group.Auth.Helper is not { } helper)
            {
                continue;
            }

            foreach (var platform in group.Platforms)
            {
                var source = $"{group.Name}/{platform.ToName()}";
                var target = source;
                GeneratedArtifact? Input(string path, bool required)
                {
                    if (inputs.TryGetValue(path, out var artifact))
                    {
                        return artifact;
                    }

                    if (required)
                    {
                        diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, PackagingDiagnosticCodes.MissingGeneratedFile,
                            $"group '{group.Name}': cannot package {platform.ToName()}: the generated file {path} is missing", Location: group.Location,
                            Fix: "run 'basalt deploy validate' and fix the errors it reports"));
                    }

                    return null;
                }

                var settings = Input(CredentialHelperSettingsGenerator.PathFor(group.Name), required: true);
                var awsConfig = Input($"{source}/aws/config", required: true);
                if (settings is null || awsConfig is null)
                {
                    continue;
                }

                void Copy(GeneratedArtifact artifact, string name) => output.Add(artifact with { RelativePath = $"{target}/{name}" });
                Copy(settings, InstallPackageSpec.SettingsFile);
                Copy(awsConfig, InstallPackageSpec.AwsConfigFile);
                string? claudeCode = null, desktop = null, policy = null, mobileConfig = null;
                if (Input($"{source}/claude-code/managed-settings.json", required: false) is { } cc)
                {
                    claudeCode = "claude-code-managed-settings.json";
                    Copy(cc, claudeCode);
                }

                switch (platform)
                {
                    case DeploymentPlatform.Linux when Input($"{source}/managed-settings.json", required: false) is { } linux:
                        desktop = "claude-desktop-managed-settings.json";
                        Copy(linux, desktop);
                        break;
                    case DeploymentPlatform.Windows when Input($"{source}/install-policy.ps1", required: false) is { } ps1:
                        policy = "install-policy.ps1";
                        Copy(ps1, policy);
                        break;
                    case DeploymentPlatform.MacOS:
                        var profile = inputs.Values.FirstOrDefault(a => a.RelativePath.StartsWith(source + "/", StringComparison.Ordinal)
                            && a.RelativePath.EndsWith(".mobileconfig", StringComparison.Ordinal) && a.RelativePath.Count(c => c == '/') == 2);
                        if (profile is not null)
                        {
                            mobileConfig = profile.RelativePath[(source.Length + 1)..];
                            Copy(profile, mobileConfig);
                        }

                        break;
                }

                var hasBinary = helperBinaries.TryGetValue(platform, out var binary) && binary.Length > 0;
                if (hasBinary)
                {
                    output.Add(new GeneratedArtifact($"{target}/{InstallLocations.BinaryName(platform)}", binary, ContainsSecret: false));
                }
                else
                {
                    diagnostics.Add(new Diagnostic(DiagnosticSeverity.Warning, PackagingDiagnosticCodes.MissingHelperBinary,
                        $"group '{group.Name}': the {platform.ToName()} package has no basalt-credential binary; its installer only updates settings on devices that already have the helper",
                        Location: group.Location, Fix: $"pass --helper-{platform.ToName()} PATH (a basalt-credential build for {platform.ToName()})"));
                }

                var spec = new InstallPackageSpec(file.Name, group.Name, platform, helper.InstallPaths[platform], helper.ProfileName, hasBinary, claudeCode, desktop, policy, mobileConfig);
                output.Add(platform == DeploymentPlatform.Windows
                    ? new GeneratedArtifact($"{target}/{PowerShellScript}", WithBom(PowerShellInstallScript.Write(spec)), ContainsSecret: false)
                    : new GeneratedArtifact($"{target}/{ShellScript}", System.Text.Encoding.UTF8.GetBytes(ShellInstallScript.Write(spec)), ContainsSecret: false));
            }
        }

        if (output.Count == 0)
        {
            return [];
        }

        output.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        output.Add(ManifestWriter.Build(file.Name, output));
        return output;
    }

    /// <summary>Windows PowerShell 5.1 reads a script without a BOM in the ANSI code page; a BOM makes any group name safe.</summary>
    private static byte[] WithBom(string text)
    {
        var encoding = new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true);
        return [.. encoding.GetPreamble(), .. encoding.GetBytes(text)];
    }

    /// <summary>True for files a package marks executable (the scripts and the binaries).</summary>
    public static bool IsExecutable(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        var name = relativePath[(relativePath.LastIndexOf('/') + 1)..];
        return name is ShellScript or "basalt-credential" or "basalt-credential.exe";
    }
}
