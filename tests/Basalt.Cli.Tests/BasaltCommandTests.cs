namespace Basalt.Cli.Tests;

public sealed class BasaltCommandTests
{
    [Fact]
    public async Task Root_help_names_the_program_basalt_not_the_assembly()
    {
        var result = await InProcessCli.RunAsync(["--help"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:\n  basalt [command] [options]", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("Basalt.Cli", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subcommand_help_and_typo_suggestions_name_basalt()
    {
        var help = await InProcessCli.RunAsync(["config", "lint", "--help"]);
        var typo = await InProcessCli.RunAsync(["confg"]);

        Assert.Contains("basalt config lint <path>... [options]", help.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, typo.ExitCode);
        Assert.Contains("'confg' was not matched. Did you mean one of the following?\nconfig", typo.Stderr + typo.Stdout, StringComparison.Ordinal);
        Assert.Contains("basalt [command] [options]", typo.Stdout + typo.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Basalt.Cli", typo.Stdout + typo.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_process_prints_the_same_usage_line_as_in_process()
    {
        var process = await Basalt.Testing.CliRunner.RunAsync(["--help"]);

        Assert.Equal(0, process.ExitCode);
        Assert.Contains("Usage:\n  basalt [command] [options]", process.Stdout, StringComparison.Ordinal);
    }
}
