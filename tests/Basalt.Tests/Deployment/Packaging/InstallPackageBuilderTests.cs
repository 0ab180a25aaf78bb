using System.Text;
using Basalt.Deployment;
using Basalt.Testing;

namespace Basalt.Tests.Deployment.Packaging;

public sealed class InstallPackageBuilderTests
{
    [Fact]
    public void Windows_installer_has_a_bom_the_install_paths_and_runs_the_policy_script()
    {
        using var work = new TempDirectory("deploy-package");
        PackageFixture.WritePackages(PackageFixture.Example("credential-helper.yaml"), work.Path, new Dictionary<DeploymentPlatform, ReadOnlyMemory<byte>>());

        var bytes = File.ReadAllBytes(work.Combine("default", "windows", "install.ps1"));
        var script = Encoding.UTF8.GetString(bytes.AsSpan(3));

        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        Assert.Contains(@"$helperPath = 'C:\Program Files\Basalt\basalt-credential.exe'", script, StringComparison.Ordinal);
        Assert.Contains(@"$helperSettings = 'C:\Program Files\Basalt\basalt-credential.json'", script, StringComparison.Ordinal);
        Assert.Contains(@"'C:\Program Files\ClaudeCode\managed-settings.json'", script, StringComparison.Ordinal);
        Assert.Contains("$profileName = 'claude-oidc'", script, StringComparison.Ordinal);
        Assert.Contains("install-policy.ps1", script, StringComparison.Ordinal);
        Assert.True(File.Exists(work.Combine("default", "windows", "install-policy.ps1")));
        Assert.Contains("credential_process = \"C:\\Program Files\\Basalt\\basalt-credential.exe\" process --profile claude-oidc", File.ReadAllText(work.Combine("default", "windows", "aws-config")), StringComparison.Ordinal);
    }
}
