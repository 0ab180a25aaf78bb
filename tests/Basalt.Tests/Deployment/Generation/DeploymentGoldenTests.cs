using System.Text;
using Basalt.Deployment.Generation;
using Basalt.ManagedConfig;
using Basalt.Testing;

namespace Basalt.Tests.Deployment.Generation;

/// <summary>
/// Every example's generated files against the checked-in expected outputs under golden/&lt;example&gt;/.
/// Regenerate with <c>BASALT_UPDATE_GOLDEN=1</c> after an intended change and review the diff. The ADMX
/// templates (schema of the whole key catalogue) and the manifest (which hashes them) are left out so a new
/// catalogue key does not churn every example; determinism of those is covered by Same_input_gives_the_same_bytes.
/// </summary>
public sealed class DeploymentGoldenTests
{
    private static readonly ValidationOptions FixedDate = new() { Now = new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero) };

    public static TheoryData<string> Examples() => new(DeploymentTestInput.ExampleNames());

    private static bool Compared(string path) => !path.StartsWith("admx/", StringComparison.Ordinal) && path != "manifest.json";

    [Theory]
    [MemberData(nameof(Examples))]
    public void Generated_files_match_the_golden_files(string example)
    {
        using var secrets = new TempDirectory("deploy");
        var result = new DeploymentGenerator(validation: FixedDate).Generate(DeploymentTestInput.Example(example, secrets));
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        var golden = Path.Combine(RepoPaths.Root, "tests", "Basalt.Tests", "Deployment", "golden", Path.GetFileNameWithoutExtension(example));
        var artifacts = result.Artifacts.Where(a => Compared(a.RelativePath)).ToList();
        if (Environment.GetEnvironmentVariable("BASALT_UPDATE_GOLDEN") == "1")
        {
            if (Directory.Exists(golden))
            {
                Directory.Delete(golden, recursive: true);
            }

            foreach (var artifact in artifacts)
            {
                var path = Path.Combine(golden, artifact.RelativePath);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, artifact.Content.ToArray());
            }
        }

        Assert.True(Directory.Exists(golden), $"no golden files for {example}; run the tests once with BASALT_UPDATE_GOLDEN=1 and review them");
        var expected = Directory.GetFiles(golden, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(golden, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, artifacts.Select(a => a.RelativePath).Order(StringComparer.Ordinal).ToList());
        foreach (var artifact in artifacts)
        {
            var want = File.ReadAllBytes(Path.Combine(golden, artifact.RelativePath));
            if (!want.AsSpan().SequenceEqual(artifact.Content.Span))
            {
                Assert.Fail($"{example}: {artifact.RelativePath} differs from the golden file (BASALT_UPDATE_GOLDEN=1 regenerates).\n--- expected ---\n{Show(want)}\n--- actual ---\n{Show(artifact.Content.ToArray())}");
            }
        }
    }

    private static string Show(byte[] bytes)
        => bytes.Length > 1 && bytes[0] == 0xFF && bytes[1] == 0xFE ? Encoding.Unicode.GetString(bytes) : Encoding.UTF8.GetString(bytes);
}
