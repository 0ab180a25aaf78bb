using Basalt.Deployment;
using Basalt.Deployment.Generation;
using Basalt.Deployment.Packaging;
using Basalt.Diagnostics;
using Basalt.Testing;

namespace Basalt.Tests.Deployment.Packaging;

/// <summary>Deployment files for the packaging tests and a way to build their packages in memory.</summary>
internal static class PackageFixture
{
    /// <summary>The credential helper with IAM Identity Center, on Linux and macOS.</summary>
    public const string AwsSignInHelperYaml = """
        version: 1
        name: claude-sso
        organization:
          name: Example Health
          identifier: com.examplehealth.claude
          uuid: 3c9d2e1f-5a6b-4c7d-8e9f-0a1b2c3d4e5f
        provider: bedrock
        platforms: [linux, macos]
        aws:
          region: eu-central-1
          scope: cross-region
          accountId: "444455556666"
        auth:
          approach: credential-helper
          helper:
            source: aws-sign-in
            profile: claude-sso
          sso:
            startUrl: https://examplehealth.awsapps.com/start
            region: eu-west-1
            roleName: ClaudeCoworkAccess
        models:
          sonnet:
            id: anthropic.claude-sonnet-4-5-20250929-v1:0
            label: Claude Sonnet 4.5
        """;

    public static DeploymentFile Parse(string yaml, TempDirectory directory)
    {
        var path = directory.Write("basalt.yaml", yaml);
        var parsed = DeploymentFileParser.Load(path);
        Assert.True(parsed.Success, string.Join("\n", parsed.Diagnostics));
        return parsed.File!;
    }

    public static DeploymentFile Example(string name)
    {
        var parsed = DeploymentFileParser.Load(Path.Combine(RepoPaths.Examples, name));
        Assert.True(parsed.Success, string.Join("\n", parsed.Diagnostics));
        return parsed.File!;
    }

    public static DeploymentGenerationResult Generate(DeploymentFile file)
    {
        var result = new DeploymentGenerator().Generate(file);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return result;
    }

    /// <summary>The packages of <paramref name="file"/> written to <paramref name="folder"/>, scripts and binaries executable.</summary>
    public static IReadOnlyList<GeneratedArtifact> WritePackages(DeploymentFile file, string folder, IReadOnlyDictionary<DeploymentPlatform, ReadOnlyMemory<byte>> binaries, List<Diagnostic>? diagnostics = null)
    {
        var artifacts = InstallPackageBuilder.Build(file, Generate(file), binaries, diagnostics ?? []);
        foreach (var artifact in artifacts)
        {
            var path = Path.Combine(folder, artifact.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, artifact.Content.ToArray());
            if (InstallPackageBuilder.IsExecutable(artifact.RelativePath) && !OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
            }
        }

        return artifacts;
    }
}
