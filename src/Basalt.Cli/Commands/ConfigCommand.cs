using System.CommandLine;

namespace Basalt.Cli.Commands;

/// <summary><c>basalt config</c>: the managed-configuration key catalogue, lint, report and diff (README, "basalt config").</summary>
internal static class ConfigCommand
{
    public static Command Create()
    {
        var config = new Command("config", "Explain, check and compare Claude Desktop managed configuration (.mobileconfig, .plist, .reg, managed-settings.json, configLibrary).");
        config.Subcommands.Add(ConfigKeysCommand.Create());
        config.Subcommands.Add(ConfigExplainCommand.Create());
        config.Subcommands.Add(ConfigLintCommand.Create());
        config.Subcommands.Add(ConfigReportCommand.Create());
        config.Subcommands.Add(ConfigDiffCommand.Create());
        config.Subcommands.Add(ConfigExportCommand.Create());
        return config;
    }
}
