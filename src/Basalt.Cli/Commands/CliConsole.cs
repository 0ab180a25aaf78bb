using System.CommandLine;

namespace Basalt.Cli.Commands;

/// <summary>
/// Where a command writes: results on <see cref="Out"/>, diagnostics on <see cref="Error"/>. Taken from
/// System.CommandLine's invocation configuration (the process console unless a caller passes writers), so the
/// commands run in-process with captured output the way <c>CredentialHost</c> lets the credential commands run,
/// and tests need not start a <c>dotnet</c> process for each command.
/// </summary>
internal sealed record CliConsole(TextWriter Out, TextWriter Error, TextReader In)
{
    /// <summary>The writers of this invocation; standard input is the process's.</summary>
    public static CliConsole Of(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return new(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, Console.In);
    }
}
