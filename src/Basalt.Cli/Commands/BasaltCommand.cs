using System.CommandLine;
using System.CommandLine.Help;

namespace Basalt.Cli.Commands;

/// <summary>The root <c>basalt</c> command. Each concern contributes one top-level command from its own file.</summary>
internal static class BasaltCommand
{
    /// <summary>The name users type (the dotnet tool command and the launcher script), shown in every usage line.</summary>
    public const string ProgramName = "basalt";

    public static Command Create()
    {
        // Not RootCommand: its name is the executable's file name, which is Basalt.Cli under `dotnet Basalt.Cli.dll`
        // (the assembly cannot be called basalt, see Basalt.Cli.csproj). A plain command named `basalt` with the
        // help and version options parses the same and prints `Usage: basalt [command] [options]`.
        var root = new Command(ProgramName, "Basalt: run Claude Cowork and Claude Code on Amazon Bedrock under IT's control.")
        {
            new HelpOption(),
            new VersionOption(),
        };

        // One line per concern; keep this list the only place commands are registered.
        root.Subcommands.Add(QuickstartCommand.Create());
        root.Subcommands.Add(DeployCommand.Create());
        root.Subcommands.Add(ConfigCommand.Create());
        root.Subcommands.Add(EmulatorCommand.Create());
        root.Subcommands.Add(GatewayCommand.Create());
        root.Subcommands.Add(CredentialsCommand.Create());
        root.Subcommands.Add(UsageCommand.Create());
        root.Subcommands.Add(BudgetsCommand.Create());
        root.Subcommands.Add(ModelsCommand.Create());
        return root;
    }
}
