using Basalt.Testing;

namespace Basalt.Cli.Tests.Deploy;

/// <summary>The real <c>basalt deploy</c> process: exit codes, what reaches stdout/stderr, and the files it leaves.</summary>
public sealed class DeployCommandTests
{
    private const string Key = "EXAMPLE-bedrock-api-key-not-real";

    private static Dictionary<string, string?> Env() => new() { ["BEDROCK_API_KEY"] = Key };

    [Fact]
    public async Task Generate_writes_every_artifact_of_the_default_example()
    {
        using var dir = new TempDirectory("deploy-cli");
        var output = dir.Combine("out");
        var result = await InProcessCli.RunAsync(["deploy", "generate", Path.Combine(RepoPaths.Examples, "basalt.yaml"), "-o", output]);
        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var path in new[]
        {
            "engineering/macos/acme-claude-engineering.mobileconfig", "engineering/windows/acme-claude-engineering.reg", "engineering/windows/install-policy.ps1",
            "engineering/linux/managed-settings.json", "engineering/macos/claude-code/managed-settings.json", "engineering/macos/aws/config",
            "business/macos/acme-claude-business.mobileconfig", "admx/claude.admx", "admx/en-US/claude.adml", "iam/permission-set-policy.json", "report.txt", "manifest.json",
        })
        {
            Assert.True(File.Exists(Path.Combine(output, path)), $"{path} missing\n{result}");
            Assert.Contains(path, result.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Bearer_token_never_reaches_the_console_and_its_files_are_0600()
    {
        using var dir = new TempDirectory("deploy-cli");
        var output = dir.Combine("out");
        var result = await CliRunner.RunAsync(["deploy", "generate", Path.Combine(RepoPaths.Examples, "bearer-token-poc.yaml"), "-o", output], environment: Env());
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain(Key, result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, File.ReadAllText(Path.Combine(output, "report.txt")), StringComparison.Ordinal);
        var settings = Path.Combine(output, "default", "macos", "claude-code", "managed-settings.json");
        Assert.Contains(Key, File.ReadAllText(settings), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(settings));
        }
    }

    [Fact]
    public async Task Bad_input_gives_located_diagnostics_exit_1_no_stack_trace_and_leaves_output_alone()
    {
        using var dir = new TempDirectory("deploy-cli");
        var output = dir.Combine("out");
        var ok = await InProcessCli.RunAsync(["deploy", "generate", Path.Combine(RepoPaths.Examples, "named-profile.yaml"), "-o", output]);
        Assert.True(ok.ExitCode == 0, ok.ToString());
        var before = Directory.GetFiles(output, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllText);

        var bad = dir.Write("bad.yaml", "name: t\naws:\n  regoin: us-west-2\nauth:\n  approach: bearer-token\n  bearerToken: ${env:NOT_SET_ANYWHERE}\n");
        var result = await InProcessCli.RunAsync(["deploy", "generate", bad, "-o", output]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{bad}:3:3: error BSL7004 [aws.regoin]", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("[auth.bearerToken]", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("NOT_SET_ANYWHERE", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, Directory.GetFiles(output, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllText));
    }

    [Fact]
    public async Task Validate_checks_without_writing()
    {
        using var dir = new TempDirectory("deploy-cli");
        var result = await CliRunner.RunAsync(["deploy", "validate", Path.Combine(RepoPaths.Examples, "two-groups.yaml")], workingDirectory: dir.Path);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("valid; 2 group(s)", result.Stdout, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public async Task Init_with_piped_answers_writes_a_file_that_generates()
    {
        using var dir = new TempDirectory("deploy-cli");
        var answers = "acme\nAcme Corp\nnamed-profile\nus-west-2\ncross-region\n123456789012\nclaude-cowork\nhttps://d-1234567890.awsapps.com/start\nus-east-1\nClaudeDevs\nsonnet,haiku\nengineering,finance\n";
        var init = await CliRunner.RunAsync(["deploy", "init"], stdin: answers, workingDirectory: dir.Path);
        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.Contains("AWS profile name [claude-cowork]: ", init.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(dir.Combine("basalt.yaml")));

        var again = await CliRunner.RunAsync(["deploy", "init", "--yes"], workingDirectory: dir.Path);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("already exists", again.Stderr, StringComparison.Ordinal);

        var generate = await CliRunner.RunAsync(["deploy", "generate"], workingDirectory: dir.Path);
        Assert.True(generate.ExitCode == 0, generate.ToString());
        Assert.True(File.Exists(dir.Combine("out", "finance", "macos", "aws", "config")));
    }

    [Fact]
    public async Task Init_from_options_alone_needs_no_terminal()
    {
        using var dir = new TempDirectory("deploy-cli");
        var init = await CliRunner.RunAsync(["deploy", "init", "--yes", "--auth", "gateway", "--gateway-url", "https://llm.example.com", "-o", "gw.yaml"], workingDirectory: dir.Path);
        Assert.True(init.ExitCode == 0, init.ToString());
        var text = File.ReadAllText(dir.Combine("gw.yaml"));
        Assert.Contains("apiKey: \"${env:GATEWAY_API_KEY}\"", text, StringComparison.Ordinal);
    }
}
