using System.CommandLine;
using Basalt.Deployment;
using Basalt.Deployment.Generation;

namespace Basalt.Cli.Commands;

/// <summary><c>basalt deploy generate [basalt.yaml] -o out/</c>: validate, then write every artifact atomically.</summary>
internal static class DeployGenerateCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "The deployment file.", DefaultValueFactory = _ => "basalt.yaml" };
        var output = new Option<string>("--output", "-o") { Description = "Output folder; replaced as a whole, or left untouched when anything fails.", DefaultValueFactory = _ => "out" };
        var command = new Command("generate", "Turn basalt.yaml into MDM profiles (macOS, Windows, Linux), Claude Code settings, AWS config, IAM policy and CloudFormation for every user group.");
        command.Arguments.Add(file);
        command.Options.Add(output);
        command.SetAction((ParseResult parse, CancellationToken ct) => DeployConsole.GuardAsync(CliConsole.Of(parse), async console =>
            (await RunAsync(console, parse.GetValue(file)!, parse.GetValue(output)!, ct).ConfigureAwait(false)).ExitCode));
        return command;
    }

    /// <summary>
    /// Validates and generates; shared with <c>basalt quickstart</c>. Returns the exit code and, on success, the
    /// generated files (the quickstart prints the report from them instead of reading it back from disk).
    /// </summary>
    public static async Task<(int ExitCode, DeploymentGenerationResult? Result)> RunAsync(CliConsole console, string path, string outputDirectory, CancellationToken ct)
    {
        var parsed = DeploymentFileParser.Load(path);
        if (!parsed.Success)
        {
            return (DeployConsole.Fail(console, parsed.Diagnostics), null);
        }

        var result = new DeploymentGenerator().Generate(parsed.File!);
        var findings = parsed.Diagnostics.Concat(result.Diagnostics).ToList();
        if (!result.Success)
        {
            return (DeployConsole.Fail(console, findings), null);
        }

        var written = await DeploymentOutputWriter.WriteAsync(outputDirectory, result.Artifacts, ct).ConfigureAwait(false);
        if (written.Count > 0)
        {
            return (DeployConsole.Fail(console, [.. findings, .. written]), null);
        }

        DeployConsole.WriteDiagnostics(console, findings);
        var groups = parsed.File!.Groups.Count;
        console.Out.WriteLine($"Wrote {result.Artifacts.Count} files for {groups} group{(groups == 1 ? string.Empty : "s")} to {outputDirectory}:");
        foreach (var artifact in result.Artifacts)
        {
            console.Out.WriteLine($"  {artifact.RelativePath}{(artifact.ContainsSecret ? "  (contains a secret, mode 0600)" : string.Empty)}");
        }

        return (0, result);
    }
}
