namespace Basalt.Credentials.Cli;

/// <summary>
/// Where a credential command runs: its environment (variables, home, clock), its two output streams, and the
/// folder of the executable (an installer ships <c>basalt-credential.json</c> next to the binary). stdout receives
/// only the requested output; everything else goes to stderr (cowork3p-reference §4: "keep stdout clean").
/// </summary>
public sealed record CredentialHost(CredentialEnvironment Environment, TextWriter Stdout, TextWriter Stderr)
{
    /// <summary>The name used in messages and usage text.</summary>
    public string ProgramName { get; init; } = "basalt-credential";

    /// <summary>The folder searched for a <c>basalt-credential.json</c> shipped with the binary; null = the app's base folder.</summary>
    public string? ExecutableDirectory { get; init; }

    /// <summary>The real process: its environment and console streams.</summary>
    public static CredentialHost FromProcess(string programName = "basalt-credential")
        => new(CredentialEnvironment.FromProcess(), Console.Out, Console.Error) { ProgramName = programName };
}
