using System.CommandLine;

namespace Basalt.Cli.Commands;

/// <summary><c>basalt deploy</c>: one deployment file (<c>basalt.yaml</c>) in, every artifact out (README, "basalt deploy").</summary>
internal static class DeployCommand
{
    public static Command Create()
    {
        var deploy = new Command("deploy", "Write, check and turn a deployment file (basalt.yaml) into MDM profiles, Claude Code settings, IAM policies and CloudFormation.");
        deploy.Subcommands.Add(DeployInitCommand.Create());
        deploy.Subcommands.Add(DeployValidateCommand.Create());
        deploy.Subcommands.Add(DeployGenerateCommand.Create());
        deploy.Subcommands.Add(DeployPackageCommand.Create());
        return deploy;
    }
}
