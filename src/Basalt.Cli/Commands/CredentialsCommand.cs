using System.CommandLine;
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
        credentials.Subcommands.Add(Verb("desktop", CredentialVerb.Desktop, "Claude Desktop inferenceCredentialHelper output: the Bedrock bearer token, or {\"token\",\"headers\"} JSON. Honours CLAUDE_HELPER_CONTEXT."));
        credentials.Subcommands.Add(Verb("process", CredentialVerb.Process, "AWS credential_process JSON (Version 1)."));
        credentials.Subcommands.Add(Verb("claude-code", CredentialVerb.ClaudeCode, "Claude Code awsCredentialExport JSON."));
        credentials.Subcommands.Add(Verb("env", CredentialVerb.Env, "Shell statements exporting the credentials (AWS_ACCESS_KEY_ID, ..., AWS_REGION, AWS_BEARER_TOKEN_BEDROCK)."));
        credentials.Subcommands.Add(Verb("token", CredentialVerb.Token, "The Bedrock bearer token alone."));
        credentials.Subcommands.Add(Verb("login", CredentialVerb.Login, "Sign in now, even when cached credentials are still valid."));
        credentials.Subcommands.Add(Verb("explain", CredentialVerb.Explain, "Show the settings file, profile, source, endpoints and cache state; no network."));
        credentials.Subcommands.Add(Verb("clear-cache", CredentialVerb.ClearCache, "Forget cached credentials (all profiles unless --profile is given)."));
        credentials.Subcommands.Add(Verb("check-expiration", CredentialVerb.CheckExpiration, "Exit 0 when cached credentials are valid beyond the refresh margin, 1 otherwise; no network."));
        credentials.Subcommands.Add(Verb("check", CredentialVerb.Check, "Validate a basalt-credential.json settings file and print its diagnostics."));
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
            return CredentialHelperCommand.RunAsync(invocation, CredentialHost.FromProcess("basalt credentials"), ct);
        });
    }
}
