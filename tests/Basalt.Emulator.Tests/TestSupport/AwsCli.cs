using Basalt.Testing;

namespace Basalt.Emulator.Tests.TestSupport;

/// <summary>
/// Runs the AWS CLI v2 (<c>/usr/bin/aws</c>, never the v1 first on PATH) against the emulator with an isolated
/// home and config, so the developer's own ~/.aws never leaks in. Credentials travel in the environment.
/// </summary>
public static class AwsCli
{
    public static async Task<ProcessResult> RunAsync(EmulatorServer emulator, IReadOnlyDictionary<string, string?>? credentials, params string[] args)
    {
        var aws = ExternalTools.AwsCliV2();
        using var home = new TempDirectory("awscli");
        var env = new Dictionary<string, string?>
        {
            ["HOME"] = home.Path,
            ["AWS_CONFIG_FILE"] = home.Combine("config"),
            ["AWS_SHARED_CREDENTIALS_FILE"] = home.Combine("credentials"),
            ["AWS_REGION"] = "us-east-1",
            ["AWS_DEFAULT_REGION"] = "us-east-1",
            ["AWS_PAGER"] = string.Empty,
            ["AWS_PROFILE"] = null,
            ["AWS_ACCESS_KEY_ID"] = null,
            ["AWS_SECRET_ACCESS_KEY"] = null,
            ["AWS_SESSION_TOKEN"] = null,
            ["AWS_EC2_METADATA_DISABLED"] = "true",
        };
        foreach (var (k, v) in credentials ?? new Dictionary<string, string?>())
        {
            env[k] = v;
        }

        return await ProcessRunner.RunAsync(aws, [.. args, "--endpoint-url", emulator.BaseAddress.ToString().TrimEnd('/'), "--output", "json"], environment: env, timeout: TimeSpan.FromMinutes(1));
    }
}
