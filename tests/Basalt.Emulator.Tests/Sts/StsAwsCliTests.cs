using System.Text.Json;
using Basalt.Emulator.Tests.TestSupport;

namespace Basalt.Emulator.Tests.Sts;

/// <summary>The AWS CLI v2 (botocore, awsQuery) against the emulator's STS.</summary>
public sealed class StsAwsCliTests
{
    [Fact]
    public async Task Sts_get_caller_identity_with_static_keys()
    {
        var org = new TestOrg();
        await using var emulator = await EmulatorServer.StartAsync(org.Options);

        var result = await AwsCli.RunAsync(emulator, Keys(org.AliceKeyId, org.AliceSecret), "sts", "get-caller-identity");

        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal("arn:aws:iam::111122223333:user/engineering/alice", json.RootElement.GetProperty("Arn").GetString());
        Assert.Equal(TestOrg.Account, json.RootElement.GetProperty("Account").GetString());
    }

    [Fact]
    public async Task Sts_assume_role_with_external_id_tags_and_duration()
    {
        var org = new TestOrg();
        await using var emulator = await EmulatorServer.StartAsync(org.Options);

        var result = await AwsCli.RunAsync(emulator, Keys(org.AliceKeyId, org.AliceSecret),
            "sts", "assume-role", "--role-arn", TestOrg.RoleArn("Developer"), "--role-session-name", "cli-session",
            "--external-id", TestOrg.ExternalId, "--duration-seconds", "1800", "--tags", "Key=team,Value=engineering",
            "--query", "{Arn: AssumedRoleUser.Arn, KeyId: Credentials.AccessKeyId, Expiration: Credentials.Expiration}");

        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal("arn:aws:sts::111122223333:assumed-role/Developer/cli-session", json.RootElement.GetProperty("Arn").GetString());
        Assert.StartsWith("ASIA", json.RootElement.GetProperty("KeyId").GetString(), StringComparison.Ordinal);
        var expiration = DateTimeOffset.Parse(json.RootElement.GetProperty("Expiration").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expiration - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(28), TimeSpan.FromMinutes(31));
    }

    [Fact]
    public async Task Sts_assume_role_denied_shows_AccessDenied()
    {
        var org = new TestOrg();
        await using var emulator = await EmulatorServer.StartAsync(org.Options);

        var result = await AwsCli.RunAsync(emulator, Keys(org.CarolKeyId, org.CarolSecret),
            "sts", "assume-role", "--role-arn", TestOrg.RoleArn("Developer"), "--role-session-name", "carol", "--external-id", TestOrg.ExternalId);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("An error occurred (AccessDenied) when calling the AssumeRole operation", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sts_get_caller_identity_with_an_unknown_key_shows_InvalidClientTokenId()
    {
        var org = new TestOrg();
        await using var emulator = await EmulatorServer.StartAsync(org.Options);

        var result = await AwsCli.RunAsync(emulator, Keys("AKIAI44QH8DHBEXAMPLE", org.AliceSecret), "sts", "get-caller-identity");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("(InvalidClientTokenId)", result.Stderr, StringComparison.Ordinal);
    }

    private static Dictionary<string, string?> Keys(string id, string secret) => new() { ["AWS_ACCESS_KEY_ID"] = id, ["AWS_SECRET_ACCESS_KEY"] = secret };
}
