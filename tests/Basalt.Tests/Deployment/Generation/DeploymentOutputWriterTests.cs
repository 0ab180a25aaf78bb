using Basalt.Deployment;
using Basalt.Deployment.Generation;
using Basalt.ManagedConfig;
using Basalt.Testing;

namespace Basalt.Tests.Deployment.Generation;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DeploymentOutputWriterTests
{
    private static IReadOnlyList<GeneratedArtifact> Generate(string example, TempDirectory secrets)
    {
        var result = new DeploymentGenerator(validation: new ValidationOptions { Now = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero) })
            .Generate(DeploymentTestInput.Example(example, secrets));
        Assert.True(result.Success);
        return result.Artifacts;
    }

    private static Dictionary<string, string> Snapshot(string folder)
        => Directory.GetFiles(folder, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetRelativePath(folder, f), f => Convert.ToHexString(File.ReadAllBytes(f)));

    [Fact]
    public async Task Secret_files_are_0600_and_the_rest_keep_the_default_mode()
    {
        using var dir = new TempDirectory("deploy");
        var artifacts = Generate("bearer-token-poc.yaml", dir);
        var output = dir.Combine("out");
        Assert.Empty(await DeploymentOutputWriter.WriteAsync(output, artifacts));
        foreach (var artifact in artifacts)
        {
            var mode = File.GetUnixFileMode(Path.Combine(output, artifact.RelativePath));
            if (artifact.ContainsSecret)
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
            }
            else
            {
                Assert.True(mode.HasFlag(UnixFileMode.UserRead), artifact.RelativePath);
            }
        }

        Assert.Contains(artifacts, a => a.ContainsSecret && a.RelativePath.EndsWith(".mobileconfig", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_new_run_replaces_the_previous_output_completely()
    {
        using var dir = new TempDirectory("deploy");
        var output = dir.Combine("out");
        Assert.Empty(await DeploymentOutputWriter.WriteAsync(output, Generate("basalt.yaml", dir)));
        Assert.True(File.Exists(Path.Combine(output, "engineering", "macos", "acme-claude-engineering.mobileconfig")));
        Assert.Empty(await DeploymentOutputWriter.WriteAsync(output, Generate("gateway.yaml", dir)));
        Assert.False(Directory.Exists(Path.Combine(output, "engineering")));
        Assert.True(File.Exists(Path.Combine(output, "default", "linux", "managed-settings.json")));
        Assert.Equal(["out"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName).Where(n => n != "gateway-api-key.txt"));
    }

    [Fact]
    public async Task A_failed_write_leaves_the_output_folder_exactly_as_it_was()
    {
        using var dir = new TempDirectory("deploy");
        var output = dir.Combine("out");
        Assert.Empty(await DeploymentOutputWriter.WriteAsync(output, Generate("basalt.yaml", dir)));
        var before = Snapshot(output);

        // "x" as a file and "x/y" under it cannot both exist: the staging write fails half-way.
        GeneratedArtifact[] broken = [new("a.txt", "a"u8.ToArray(), false), new("x", "file"u8.ToArray(), false), new("x/y", "child"u8.ToArray(), false)];
        var diagnostics = await DeploymentOutputWriter.WriteAsync(output, broken);

        var d = Assert.Single(diagnostics);
        Assert.Equal(DeploymentDiagnosticCodes.OutputWriteFailed, d.Code);
        Assert.Equal(before, Snapshot(output));
        Assert.Equal(["out"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName).Where(n => n != "gateway-api-key.txt"));
    }

    [Fact]
    public async Task A_folder_that_is_not_earlier_output_is_never_replaced()
    {
        using var dir = new TempDirectory("deploy");
        var precious = dir.Write("home/notes.txt", "keep me");
        var diagnostics = await DeploymentOutputWriter.WriteAsync(dir.Combine("home"), Generate("basalt.yaml", dir));
        Assert.Equal(DeploymentDiagnosticCodes.OutputFolderNotOurs, Assert.Single(diagnostics).Code);
        Assert.Equal("keep me", File.ReadAllText(precious));
    }
}
