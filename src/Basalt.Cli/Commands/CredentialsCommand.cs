using System.CommandLine;
using Basalt.Credentials;
using Basalt.Credentials.Cli;
using Basalt.Credentials.Output;

namespace Basalt.Cli.Commands;

/// <summary>
/// <c>basalt credentials ...</c>: the same commands as the NativeAOT <c>basalt-credential</c> binary
/// (README, "basalt-credential"). System.CommandLine only parses and documents the options here; every command runs
/// <see cref="CredentialHelperCommand"/> from the library, so both hosts behave identically.
/// </summary>
internal static class CredentialsCommand
{
    public static Command Create()
    {
        var credentials = new Command("credentials", "Print short-lived credentials for Claude Desktop, Claude Code and AWS tools (the basalt-credential helper). Without a subcommand: the Claude Desktop helper output.");
        AddCommon(credentials, CredentialVerb.Desktop);
        foreach (var (name, verb, _, summary) in CredentialVerbNames.All)
        {
            credentials.Subcommands.Add(Verb(name, verb, summary));
        }

        return credentials;
    }

    private static Command Verb(string name, CredentialVerb verb, string description)
    {
        var command = new Command(name, description);
        AddCommon(command, verb);
        return command;
    }

    private static void AddCommon(Command command, CredentialVerb verb)
    {
        var profile = new Option<string?>("--profile", "-p") { Description = "A profile of the settings file (default: its defaultProfile)." };
        var settings = new Option<string?>("--settings") { Description = "The settings file (default: $BASALT_CREDENTIAL_SETTINGS, ~/.config/basalt/credential-helper.json, /etc/basalt/credential-helper.json)." };
        command.Options.Add(profile);
        command.Options.Add(settings);
        Option<string>? shell = null;
        if (verb == CredentialVerb.Env)
        {
            shell = new Option<string>("--shell") { Description = "posix or powershell (default: powershell on Windows, posix elsewhere)." };
            shell.AcceptOnlyFromAmong("posix", "powershell");
            command.Options.Add(shell);
        }

        command.SetAction((ParseResult parse, CancellationToken ct) =>
        {
            var invocation = new CredentialInvocation(verb)
            {
                Profile = parse.GetValue(profile),
                SettingsPath = parse.GetValue(settings),
                Shell = shell is null ? null : parse.GetValue(shell) switch
                {
                    "posix" => ShellKind.Posix,
                    "powershell" => ShellKind.PowerShell,
                    _ => null,
                },
            };
            var console = CliConsole.Of(parse);
            var host = new CredentialHost(CredentialEnvironment.FromProcess(), console.Out, console.Error) { ProgramName = $"{BasaltCommand.ProgramName} credentials" };
            return CredentialHelperCommand.RunAsync(invocation, host, ct);
        });
    }
}
