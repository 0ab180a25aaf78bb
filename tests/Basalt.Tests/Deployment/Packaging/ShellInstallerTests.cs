using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using Basalt.Deployment;
using Basalt.Diagnostics;
using Basalt.Testing;

namespace Basalt.Tests.Deployment.Packaging;

/// <summary>
/// The generated <c>install.sh</c>, run for real with <c>/bin/sh</c> into a sandbox root and a throwaway home, twice:
/// the second run must change nothing, and the user's AWS config keeps its other profiles.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class ShellInstallerTests
{
    private const string UserConfig = """
        [default]
        region = us-west-2
        output = json

        [profile claude-oidc]
        credential_process = /opt/old/helper --old
        region = eu-west-1

        [profile personal]
        sso_session = mine
        sso_account_id = 111111111111
        sso_role_name = Admin

        [sso-session mine]
        sso_start_url = https://mine.awsapps.com/start
        sso_region = us-east-1


        """;

    [Fact]
    public async Task Installer_places_everything_and_a_second_run_changes_nothing()
    {
        using var work = new TempDirectory("install-sh");
        var binary = Helper();
        var file = PackageFixture.Example("credential-helper.yaml");
        var diagnostics = new List<Diagnostic>();
        PackageFixture.WritePackages(file, work.Combine("packages"), new Dictionary<DeploymentPlatform, ReadOnlyMemory<byte>> { [DeploymentPlatform.Linux] = await File.ReadAllBytesAsync(binary) }, diagnostics);
        var root = work.Combine("root");
        var home = work.Combine("home");
        work.Write("home/.aws/config", UserConfig);
        var script = work.Combine("packages", "default", "linux", "install.sh");

        var first = await RunAsync(script, root, home);
        var afterFirst = Snapshot(work.Path, "root", "home");
        var second = await RunAsync(script, root, home);
        var afterSecond = Snapshot(work.Path, "root", "home");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(afterFirst, afterSecond);
        Assert.DoesNotContain("installed", second.Stdout, StringComparison.Ordinal);
        Assert.Contains("nothing changed", second.Stdout, StringComparison.Ordinal);
        Assert.Contains(diagnostics, d => d.Message.Contains("macos package has no basalt-credential binary", StringComparison.Ordinal));

        // Everything where the deployment says, inside the sandbox root.
        var helper = Path.Combine(root, "usr/local/bin/basalt-credential");
        Assert.Equal(await File.ReadAllBytesAsync(binary), await File.ReadAllBytesAsync(helper));
        Assert.True(File.GetUnixFileMode(helper).HasFlag(UnixFileMode.OtherExecute));
        Assert.True(File.Exists(Path.Combine(root, "usr/local/bin/basalt-credential.json")));
        var claudeCode = await File.ReadAllTextAsync(Path.Combine(root, "etc/claude-code/managed-settings.json"));
        Assert.Contains($"{root}/usr/local/bin/basalt-credential claude-code --profile claude-oidc", claudeCode, StringComparison.Ordinal);
        var desktop = await File.ReadAllTextAsync(Path.Combine(root, "etc/claude-desktop/managed-settings.json"));
        Assert.Contains($"\"inferenceCredentialHelper\": \"{root}/usr/local/bin/basalt-credential\"", desktop, StringComparison.Ordinal);
        Assert.Equal((UnixFileMode)0b110_100_100, File.GetUnixFileMode(Path.Combine(root, "etc/claude-desktop/managed-settings.json")));

        // The user's other profiles stay; the old claude-oidc profile is replaced by exactly one new one.
        var config = await File.ReadAllTextAsync(Path.Combine(home, ".aws/config"));
        Assert.Equal(
            """
            [default]
            region = us-west-2
            output = json

            [profile personal]
            sso_session = mine
            sso_account_id = 111111111111
            sso_role_name = Admin

            [sso-session mine]
            sso_start_url = https://mine.awsapps.com/start
            sso_region = us-east-1

            [profile claude-oidc]
            credential_process = ROOT/usr/local/bin/basalt-credential process --profile claude-oidc
            region = us-east-2

            """.Replace("ROOT", root, StringComparison.Ordinal),
            config);

        // The AWS CLI v2 reads the merged file, and the installed helper finds its settings next to itself.
        var aws = await ProcessRunner.RunAsync(ExternalTools.AwsCliV2(), ["configure", "get", "credential_process", "--profile", "claude-oidc"], environment: Env(root, home));
        Assert.True(aws.ExitCode == 0, aws.ToString());
        Assert.Equal($"{root}/usr/local/bin/basalt-credential process --profile claude-oidc", aws.Stdout.Trim());
        var explain = await ProcessRunner.RunAsync(helper, ["explain"], environment: Env(root, home));
        Assert.True(explain.ExitCode == 0, explain.ToString());
        Assert.Contains($"{root}/usr/local/bin/basalt-credential.json", explain.Stdout, StringComparison.Ordinal);
        Assert.Contains("arn:aws:iam::123456789012:role/ClaudeBedrockFederated", explain.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Installer_creates_a_private_aws_config_when_the_user_has_none_and_keeps_an_installed_helper()
    {
        using var work = new TempDirectory("install-sh");
        using var directory = new TempDirectory("install-yaml");
        var file = PackageFixture.Parse(PackageFixture.AwsSignInHelperYaml, directory);
        PackageFixture.WritePackages(file, work.Combine("packages"), new Dictionary<DeploymentPlatform, ReadOnlyMemory<byte>>());
        var root = work.Combine("root");
        var home = work.Combine("home");
        var script = work.Combine("packages", "default", "linux", "install.sh");

        var withoutHelper = await RunAsync(script, root, home);
        work.Write("root/usr/local/bin/basalt-credential", "#!/bin/sh\necho installed-earlier\n");
        File.SetUnixFileMode(work.Combine("root/usr/local/bin/basalt-credential"), (UnixFileMode)0b111_101_101);
        var first = await RunAsync(script, root, home);
        var second = await RunAsync(script, root, home);

        Assert.Equal(1, withoutHelper.ExitCode);
        Assert.Contains("no basalt-credential binary and none is installed", withoutHelper.Stderr, StringComparison.Ordinal);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("keeping the installed one", first.Stdout, StringComparison.Ordinal);
        Assert.Contains("nothing changed", second.Stdout, StringComparison.Ordinal);
        var config = Path.Combine(home, ".aws/config");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(config));
        Assert.StartsWith("[profile claude-sso]\ncredential_process = ", await File.ReadAllTextAsync(config), StringComparison.Ordinal);
        Assert.True(File.Exists(work.Combine("packages", "default", "macos", "install.sh")));
        Assert.Contains("xattr -d com.apple.quarantine", await File.ReadAllTextAsync(work.Combine("packages", "default", "macos", "install.sh")), StringComparison.Ordinal);
    }

    private static string Helper() => ExternalTools.CredentialHelper();

    private static Dictionary<string, string?> Env(string root, string home) => new()
    {
        ["BASALT_INSTALL_ROOT"] = root,
        ["BASALT_INSTALL_HOME"] = home,
        ["HOME"] = home,
        ["AWS_CONFIG_FILE"] = null,
        ["AWS_PROFILE"] = null,
        ["SUDO_USER"] = null,
        ["XDG_CACHE_HOME"] = null,
        ["XDG_CONFIG_HOME"] = null,
        ["BASALT_CREDENTIAL_SETTINGS"] = null,
    };

    private static Task<ProcessResult> RunAsync(string script, string root, string home)
        => ProcessRunner.RunAsync("/bin/sh", [script], environment: Env(root, home), timeout: TimeSpan.FromMinutes(1));

    /// <summary>Every file and folder under the given roots with its content hash, mode and modification time.</summary>
    private static string Snapshot(string basePath, params string[] roots)
    {
        var text = new StringBuilder();
        foreach (var root in roots)
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(Path.Combine(basePath, root), "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                var info = new FileInfo(entry);
                text.Append(Path.GetRelativePath(basePath, entry)).Append(' ').Append(File.GetUnixFileMode(entry));
                if (info.Exists)
                {
                    text.Append(' ').Append(Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(entry)))).Append(' ').Append(info.LastWriteTimeUtc.Ticks);
                }

                text.Append('\n');
            }
        }

        return text.ToString();
    }
}
