using System.CommandLine;
using Basalt.Deployment;
using Basalt.Deployment.Generation;

namespace Basalt.Cli.Commands;

/// <summary><c>basalt deploy validate [basalt.yaml]</c>: everything generate checks, without writing anything.</summary>
internal static class DeployValidateCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "The deployment file.", DefaultValueFactory = _ => "basalt.yaml" };
        var command = new Command("validate", "Check basalt.yaml and every group's managed configuration without writing files.");
        command.Arguments.Add(file);
        command.SetAction((ParseResult parse, CancellationToken ct) => DeployConsole.GuardAsync(CliConsole.Of(parse), console =>
        {
            var path = parse.GetValue(file)!;
            var parsed = DeploymentFileParser.Load(path);
            if (!parsed.Success)
            {
                return Task.FromResult(DeployConsole.Fail(console, parsed.Diagnostics));
            }

            var result = new DeploymentGenerator().Generate(parsed.File!);
            var findings = parsed.Diagnostics.Concat(result.Diagnostics).ToList();
            if (!result.Success)
            {
                return Task.FromResult(DeployConsole.Fail(console, findings));
            }

            DeployConsole.WriteDiagnostics(console, findings);
            var warnings = findings.Count(d => d.Severity == Basalt.Diagnostics.DiagnosticSeverity.Warning);
            console.Out.WriteLine($"{path}: valid; {parsed.File!.Groups.Count} group(s), {result.Artifacts.Count} files would be written, {warnings} warning(s).");
            return Task.FromResult(0);
        }));
        return command;
    }
}
