using System.Text;
using Basalt.Deployment;
using Basalt.Testing;

namespace Basalt.Cli.Tests.DeployPackage;

/// <summary><c>basalt deploy package</c> as a user runs it.</summary>
public sealed class DeployPackageCommandTests
{
    [Fact]
    public async Task Package_command_writes_an_installer_per_platform_with_the_helper_binary()
    {
        using var work = new TempDirectory("deploy-package");
        var binary = work.Write("bin/basalt-credential", [0x7f, (byte)'E', (byte)'L', (byte)'F', 1, 2, 3]);
        var output = work.Combine("packages");

        var result = await InProcessCli.RunAsync(["deploy", "package", Path.Combine(RepoPaths.Examples, "credential-helper.yaml"), "-o", output, "--helper-linux", binary]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(File.Exists(Path.Combine(output, "manifest.json")));
        foreach (var (platform, script) in new[] { ("linux", "install.sh"), ("macos", "install.sh"), ("windows", "install.ps1") })
        {
            Assert.True(File.Exists(Path.Combine(output, "default", platform, script)), $"{platform}/{script}");
            Assert.True(File.Exists(Path.Combine(output, "default", platform, "basalt-credential.json")), platform);
            Assert.True(File.Exists(Path.Combine(output, "default", platform, "aws-config")), platform);
        }

        Assert.Equal(await File.ReadAllBytesAsync(binary), await File.ReadAllBytesAsync(Path.Combine(output, "default", "linux", "basalt-credential")));
        if (!OperatingSystem.IsWindows())
        {
            Assert.True(File.GetUnixFileMode(Path.Combine(output, "default", "linux", "install.sh")).HasFlag(UnixFileMode.UserExecute));
            Assert.True(File.GetUnixFileMode(Path.Combine(output, "default", "linux", "basalt-credential")).HasFlag(UnixFileMode.OtherExecute));
        }

        // Platforms without a binary are packaged with a warning on stderr.
        Assert.Contains("the macos package has no basalt-credential binary", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Package_command_refuses_a_deployment_without_the_helper()
    {
        using var work = new TempDirectory("deploy-package");

        var result = await InProcessCli.RunAsync(["deploy", "package", Path.Combine(RepoPaths.Examples, "aws-sign-in.yaml"), "-o", work.Combine("packages")]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("nothing to package", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(work.Combine("packages")));
    }
}
