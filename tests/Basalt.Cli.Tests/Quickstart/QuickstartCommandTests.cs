using Basalt.Testing;

namespace Basalt.Cli.Tests.Quickstart;

/// <summary>The README's first command: the whole main job on embedded defaults, as a real process.</summary>
public sealed class QuickstartCommandTests
{
    [Fact]
    public async Task Quickstart_generates_the_deployment_reports_it_and_streams_a_scripted_answer_from_the_local_aws()
    {
        using var dir = new TempDirectory("quickstart");
        var result = await CliRunner.RunAsync(
            ["quickstart", "--deployment", Path.Combine(RepoPaths.Examples, "basalt.yaml"), "--identities", Path.Combine(RepoPaths.Examples, "emulator", "identities.yaml"), "--prompt", "hello there"],
            workingDirectory: dir.Path);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(File.Exists(dir.Combine("out", "report.txt")));
        Assert.True(File.Exists(dir.Combine("out", "manifest.json")));
        Assert.Contains("3P mode:     yes", result.Stdout);
        Assert.Contains("answer: Hello from Claude on Amazon Bedrock", result.Stdout);
        Assert.Matches(@"usage: input \d+ tokens, output \d+ tokens", result.Stdout);
        Assert.Contains("InvokeModelWithResponseStream      Success  arn:aws:iam::111122223333:user/engineering/alice", result.Stdout);

        // The example's secret key material never reaches the terminal.
        Assert.DoesNotContain("wJalrXUtnFEMI", result.Stdout + result.Stderr);
        Assert.DoesNotContain("bedrock-api-key-", result.Stdout + result.Stderr);
    }

    [Fact]
    public async Task Quickstart_with_a_broken_deployment_file_names_the_problem_and_leaves_no_output()
    {
        using var dir = new TempDirectory("quickstart-bad");
        var bad = dir.Write("basalt.yaml", "version: 1\nprovider: [not, a, provider\n");
        var result = await CliRunner.RunAsync(["quickstart", "--deployment", bad, "--identities", Path.Combine(RepoPaths.Examples, "emulator", "identities.yaml")], workingDirectory: dir.Path);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("basalt.yaml:", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.False(Directory.Exists(dir.Combine("out")));
    }
}
