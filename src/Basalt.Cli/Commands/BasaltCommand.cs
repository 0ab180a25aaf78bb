using System.CommandLine;

namespace Basalt.Cli.Commands;

/// <summary>The root <c>basalt</c> command. Each concern contributes one top-level command from its own file.</summary>
internal static class BasaltCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand("Basalt: run Claude Cowork and Claude Code on Amazon Bedrock under IT's control.");
        // One line per concern; keep this list the only place commands are registered.
        root.Subcommands.Add(QuickstartCommand.Create());
        root.Subcommands.Add(DeployCommand.Create());
        root.Subcommands.Add(ConfigCommand.Create());
        root.Subcommands.Add(EmulatorCommand.Create());
        root.Subcommands.Add(CredentialsCommand.Create());
        root.Subcommands.Add(UsageCommand.Create());
        root.Subcommands.Add(BudgetsCommand.Create());
        return root;
    }
}
