using System.CommandLine;
using Basalt.Cli.Commands;
using Basalt.Testing;

namespace Basalt.Cli.Tests;

/// <summary>
/// Runs a <c>basalt</c> command line in this process, with stdout and stderr captured: the same command tree,
/// parser and exit code as the real program (<see cref="CliRunner"/>), without starting a <c>dotnet</c> process.
/// Commands that depend on the process itself (its environment variables, working directory or stdin) keep running
/// through <see cref="CliRunner"/> as true end-to-end tests.
/// </summary>
internal static class InProcessCli
{
    public static async Task<ProcessResult> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var configuration = new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,

            // No Ctrl+C handler: many invocations run in parallel in one test process.
            ProcessTerminationTimeout = null,
        };
        var exitCode = await BasaltCommand.Create().Parse(args).InvokeAsync(configuration, cancellationToken);
        return new ProcessResult(exitCode, stdout.ToString(), stderr.ToString());
    }
}
