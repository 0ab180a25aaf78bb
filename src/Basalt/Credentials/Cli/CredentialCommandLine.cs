using Basalt.Credentials.Output;

namespace Basalt.Credentials.Cli;

/// <summary>
/// The hand-written argument parser of the NativeAOT helper (System.CommandLine is not needed for a dozen words
/// and keeps start-up lean). Grammar: <c>[VERB] [--profile P] [--settings FILE] [--shell posix|powershell]</c>, options
/// as <c>--name value</c> or <c>--name=value</c>, in any order. For compatibility with the AWS guidance's helper
/// (seed 003) the verbs <c>login</c>, <c>explain</c>, <c>clear-cache</c> and <c>check-expiration</c> may also be
/// written as flags (<c>--login</c>...), and <c>credential-process</c> means <c>process</c>.
/// </summary>
public static class CredentialCommandLine
{
    /// <summary>Parses <paramref name="args"/>; on a usage error returns null and sets <paramref name="error"/>.</summary>
    public static CredentialInvocation? Parse(IReadOnlyList<string> args, out string? error)
    {
        ArgumentNullException.ThrowIfNull(args);
        CredentialVerb? verb = null;
        string? profile = null, settings = null;
        ShellKind? shell = null;
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? inlineValue = null;
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.IndexOf('=', StringComparison.Ordinal) is var eq and > 2)
            {
                inlineValue = arg[(eq + 1)..];
                arg = arg[..eq];
            }

            switch (arg)
            {
                case "--profile":
                case "-p":
                    if (!TakeValue(args, ref i, arg, inlineValue, out profile, out error))
                    {
                        return null;
                    }

                    break;
                case "--settings":
                    if (!TakeValue(args, ref i, arg, inlineValue, out settings, out error))
                    {
                        return null;
                    }

                    break;
                case "--shell":
                    if (!TakeValue(args, ref i, arg, inlineValue, out var shellText, out error))
                    {
                        return null;
                    }

                    shell = shellText switch
                    {
                        "posix" or "sh" or "bash" or "zsh" => ShellKind.Posix,
                        "powershell" or "pwsh" => ShellKind.PowerShell,
                        _ => null,
                    };
                    if (shell is null)
                    {
                        error = $"--shell must be posix or powershell, not '{shellText}'";
                        return null;
                    }

                    break;
                case "--help":
                case "-h":
                case "-?":
                    if (!SetVerb(ref verb, CredentialVerb.Help, arg, out error))
                    {
                        return null;
                    }

                    break;
                case "--version":
                    if (!SetVerb(ref verb, CredentialVerb.Version, arg, out error))
                    {
                        return null;
                    }

                    break;
                default:
                    var name = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..] : arg;
                    var isFlag = arg.StartsWith('-');
                    if (inlineValue is not null || !CredentialVerbNames.TryParse(name, isFlag, out var parsed))
                    {
                        error = isFlag ? $"unknown option '{args[i]}'" : $"unknown command '{arg}'";
                        return null;
                    }

                    if (!SetVerb(ref verb, parsed, arg, out error))
                    {
                        return null;
                    }

                    break;
            }
        }

        if (shell is not null && verb is not CredentialVerb.Env)
        {
            error = "--shell applies only to the env command";
            return null;
        }

        return new CredentialInvocation(verb ?? CredentialVerb.Desktop) { Profile = profile, SettingsPath = settings, Shell = shell };
    }

    /// <summary>The usage text printed by <c>--help</c> and after a usage error; the commands come from <see cref="CredentialVerbNames"/>.</summary>
    public static string Usage(string programName)
    {
        var text = new System.Text.StringBuilder();
        text.Append("Usage: ").Append(programName).Append(" [command] [--profile NAME] [--settings FILE]\n\n");
        text.Append("Prints a short-lived credential for Claude Desktop, Claude Code and AWS tools. Only the credential goes\n");
        text.Append("to stdout; messages go to stderr; the exit code is 0 on success.\n\nCommands:\n");
        foreach (var (name, verb, _, summary) in CredentialVerbNames.All)
        {
            var word = verb switch
            {
                CredentialVerb.Desktop => "(none), " + name,
                CredentialVerb.Env => name + " [--shell posix|powershell]",
                _ => name,
            };
            text.Append("  ").Append(word.PadRight(19));
            if (word.Length > 18)
            {
                text.Append('\n').Append(' ', 21);
            }

            text.Append(summary).Append('\n');
        }

        text.Append("""

            Options:
              --profile NAME     A profile of the settings file (default: its defaultProfile).
              --settings FILE    The settings file (default: $BASALT_CREDENTIAL_SETTINGS, then basalt-credential.json
                                 next to this program, then ~/.config/basalt/credential-helper.json, then
                                 /etc/basalt/credential-helper.json).
              --help, --version

            """);
        return text.ToString();
    }

    private static bool TakeValue(IReadOnlyList<string> args, ref int i, string name, string? inlineValue, out string? value, out string? error)
    {
        error = null;
        if (inlineValue is not null)
        {
            value = inlineValue;
        }
        else if (i + 1 < args.Count)
        {
            value = args[++i];
        }
        else
        {
            value = null;
        }

        if (string.IsNullOrEmpty(value))
        {
            error = $"{name} needs a value";
            return false;
        }

        return true;
    }

    private static bool SetVerb(ref CredentialVerb? verb, CredentialVerb value, string word, out string? error)
    {
        error = verb is null || verb == value ? null : $"'{word}' cannot be combined with another command";
        verb ??= value;
        return error is null;
    }
}
