using System.Text.Json;
using Basalt.Deployment.Generation;
using Basalt.ManagedConfig;
using Basalt.Testing;

namespace Basalt.Tests.Deployment.Generation;

/// <summary>The generated ~/.aws/config read by the real AWS CLI v2 (the client decides, not our reading of the docs).</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class AwsConfigInteropTests
{
    private static async Task<ProcessResult> Aws(string configFile, params string[] args)
    {
        var aws = ExternalTools.AwsCliV2();
        var env = new Dictionary<string, string?>
        {
            ["AWS_CONFIG_FILE"] = configFile,
            ["AWS_SHARED_CREDENTIALS_FILE"] = configFile + ".none",
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["HOME"] = Path.GetDirectoryName(configFile),
        };
        return await ProcessRunner.RunAsync(aws, args, null, env);
    }

    [Fact]
    public async Task Aws_cli_reads_the_sso_profile_and_session()
    {
        using var dir = new TempDirectory("deploy");
        var result = new DeploymentGenerator(validation: new ValidationOptions()).Generate(DeploymentTestInput.Example("basalt.yaml", dir));
        var config = dir.Write("config", System.Text.Encoding.UTF8.GetString(result.Artifacts.Single(a => a.RelativePath == "engineering/linux/aws/config").Content.Span));
        var profiles = await Aws(config, "configure", "list-profiles");
        Assert.Equal(0, profiles.ExitCode);
        Assert.Equal("claude-engineering", profiles.Stdout.Trim());
        var start = await Aws(config, "configure", "get", "sso_session", "--profile", "claude-engineering");
        Assert.Equal("acme", start.Stdout.Trim());
        var region = await Aws(config, "configure", "get", "region", "--profile", "claude-engineering");
        Assert.Equal("us-west-2", region.Stdout.Trim());
    }

    [Fact]
    public async Task Aws_cli_runs_the_credential_process_line_as_generated()
    {
        using var dir = new TempDirectory("deploy dir");
        // A stand-in for basalt-credential at a path with a space, printing what 'process --profile' must print.
        var helper = dir.Write("bin dir/basalt-credential", """
            #!/bin/sh
            [ "$1" = process ] && [ "$2" = --profile ] && [ "$3" = team-helper ] || { echo "unexpected args: $*" >&2; exit 2; }
            printf '{"Version":1,"AccessKeyId":"AKIAIOSFODNN7EXAMPLE","SecretAccessKey":"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY","SessionToken":"EXAMPLE-token","Expiration":"2099-01-01T00:00:00Z"}'
            """.ReplaceLineEndings("\n"));
        File.SetUnixFileMode(helper, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var yaml = $"""
            name: t
            aws: {"{"} region: us-east-2, accountId: "123456789012" {"}"}
            auth:
              approach: credential-helper
              helper:
                profile: team-helper
                installPath: {"{"} linux: "{helper}" {"}"}
                oidc: {"{"} issuer: "https://login.example.com", clientId: abc {"}"}
            models:
              sonnet: anthropic.claude-sonnet-4-5-20250929-v1:0
            """;
        var result = new DeploymentGenerator().Generate(DeploymentTestInput.ParseOk(yaml));
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        var config = dir.Write("config", System.Text.Encoding.UTF8.GetString(result.Artifacts.Single(a => a.RelativePath == "default/linux/aws/config").Content.Span));
        var export = await Aws(config, "configure", "export-credentials", "--profile", "team-helper", "--format", "process");
        Assert.True(export.ExitCode == 0, export.ToString());
        using var json = JsonDocument.Parse(export.Stdout);
        Assert.Equal("AKIAIOSFODNN7EXAMPLE", json.RootElement.GetProperty("AccessKeyId").GetString());
    }
}
