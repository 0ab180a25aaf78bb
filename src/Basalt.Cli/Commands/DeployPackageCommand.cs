using System.CommandLine;
using Basalt.Deployment;
using Basalt.Deployment.Generation;
using Basalt.Deployment.Packaging;
using Basalt.Diagnostics;

namespace Basalt.Cli.Commands;

/// <summary>
/// <c>basalt deploy package [basalt.yaml] -o packages/ [--helper-linux PATH] [--helper-macos PATH] [--helper-windows PATH]</c>:
/// per group and platform, an idempotent installer (<c>install.sh</c> / <c>install.ps1</c>) with the helper binary,
/// its settings, the AWS config profile, Claude Code's managed settings and Claude Desktop's helper path
/// (README, "basalt-credential"). The output folder is replaced as a whole, like <c>deploy generate</c>.
/// </summary>
internal static class DeployPackageCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "The deployment file.", DefaultValueFactory = _ => "basalt.yaml" };
        var output = new Option<string>("--output", "-o") { Description = "Output folder; replaced as a whole, or left untouched when anything fails.", DefaultValueFactory = _ => "packages" };
        var helpers = DeploymentPlatformNames.All.ToDictionary(
            p => p,
            p => new Option<string?>($"--helper-{p.ToName()}") { Description = $"The basalt-credential binary to ship for {p.ToName()} (e.g. the output of 'dotnet publish src/Basalt.CredentialHelper -r {Rid(p)}')." });
        var command = new Command("package", "Write per-platform install packages (install.sh / install.ps1) that place basalt-credential, its settings, the AWS profile and the Claude Code and Claude Desktop settings on a device.");
        command.Arguments.Add(file);
        command.Options.Add(output);
        foreach (var option in helpers.Values)
        {
            command.Options.Add(option);
        }

        command.SetAction((ParseResult parse, CancellationToken ct) => DeployConsole.GuardAsync(CliConsole.Of(parse), async console =>
        {
            var parsed = DeploymentFileParser.Load(parse.GetValue(file)!);
            if (!parsed.Success)
            {
                return DeployConsole.Fail(console, parsed.Diagnostics);
            }

            var generated = new DeploymentGenerator().Generate(parsed.File!);
            var findings = parsed.Diagnostics.Concat(generated.Diagnostics).ToList();
            if (!generated.Success)
            {
                return DeployConsole.Fail(console, findings);
            }

            var binaries = new Dictionary<DeploymentPlatform, ReadOnlyMemory<byte>>();
            foreach (var (platform, option) in helpers)
            {
                if (parse.GetValue(option) is { } path)
                {
                    if (!File.Exists(path))
                    {
                        return DeployConsole.Fail(console, [new Diagnostic(DiagnosticSeverity.Error, DeploymentDiagnosticCodes.InvalidValue, $"the helper binary {path} does not exist", $"--helper-{platform.ToName()}", Fix: "publish basalt-credential for that platform first")]);
                    }

                    binaries[platform] = await File.ReadAllBytesAsync(path, ct).ConfigureAwait(false);
                }
            }

            var packageFindings = new List<Diagnostic>();
            var artifacts = InstallPackageBuilder.Build(parsed.File!, generated, binaries, packageFindings);
            findings.AddRange(packageFindings);
            if (findings.Any(d => d.IsError))
            {
                return DeployConsole.Fail(console, findings);
            }

            if (artifacts.Count == 0)
            {
                DeployConsole.WriteDiagnostics(console, findings);
                console.Error.WriteLine("No group uses 'auth.approach: credential-helper', so there is nothing to package; nothing was written.");
                return 1;
            }

            var outputDirectory = parse.GetValue(output)!;
            var written = await DeploymentOutputWriter.WriteAsync(outputDirectory, artifacts, ct).ConfigureAwait(false);
            if (written.Count > 0)
            {
                return DeployConsole.Fail(console, [.. findings, .. written]);
            }

            if (!OperatingSystem.IsWindows())
            {
                foreach (var artifact in artifacts.Where(a => InstallPackageBuilder.IsExecutable(a.RelativePath)))
                {
                    File.SetUnixFileMode(Path.Combine(outputDirectory, artifact.RelativePath), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
                }
            }

            DeployConsole.WriteDiagnostics(console, findings);
            console.Out.WriteLine($"Wrote {artifacts.Count} files to {outputDirectory}:");
            foreach (var artifact in artifacts)
            {
                console.Out.WriteLine($"  {artifact.RelativePath}");
            }

            return 0;
        }));
        return command;
    }

    private static string Rid(DeploymentPlatform platform) => platform switch
    {
        DeploymentPlatform.MacOS => "osx-arm64",
        DeploymentPlatform.Windows => "win-x64",
        _ => "linux-x64",
    };
}
