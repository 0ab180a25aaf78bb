using System.Text.Json;
using Basalt.Emulator.Tests.TestSupport;

namespace Basalt.Emulator.Tests.CredentialHelper;

/// <summary>
/// The real NativeAOT <c>basalt-credential</c> as the AWS CLI v2's <c>credential_process</c>: the CLI runs it, reads
/// its JSON, signs <c>sts get-caller-identity</c> with the result, and the emulator says who the caller is.
/// </summary>
public sealed class CredentialProcessAwsCliTests
{
    [Fact]
    public async Task Aws_cli_v2_is_alice_with_static_keys_from_the_helper()
    {
        var org = new TestOrg();
        await using var emulator = await EmulatorServer.StartAsync(org.Options);
        using var sandbox = new HelperSandbox(HelperSandbox.StaticSettings(org.AliceKeyId, org.AliceSecret));
        sandbox.WriteAwsProfile("basalt", "alice");

        var result = await sandbox.RunAwsAsync("sts", "get-caller-identity", "--profile", "basalt", "--endpoint-url", emulator.BaseAddress.AbsoluteUri.TrimEnd('/'));

        Assert.True(result.ExitCode == 0, result.ToString());
        using var identity = JsonDocument.Parse(result.Stdout);
        Assert.Equal($"arn:aws:iam::{TestOrg.Account}:user/engineering/alice", identity.RootElement.GetProperty("Arn").GetString());
        Assert.Equal(TestOrg.Account, identity.RootElement.GetProperty("Account").GetString());
        Assert.DoesNotContain(org.AliceSecret, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Aws_cli_v2_is_the_identity_center_role_with_a_cached_sso_token()
    {
        var org = new TestOrg();
        await using var emulator = await EmulatorServer.StartAsync(org.Options);
        using var sandbox = new HelperSandbox(IdentityCenterSeed.Settings(emulator));
        var accessToken = await IdentityCenterSeed.SignInAsync(emulator, sandbox);
        sandbox.WriteAwsProfile("bedrock", "sso");

        var result = await sandbox.RunAwsAsync("sts", "get-caller-identity", "--profile", "bedrock", "--endpoint-url", emulator.BaseAddress.AbsoluteUri.TrimEnd('/'));
        var helper = await sandbox.RunHelperAsync(["process", "--profile", "sso", "--settings", sandbox.SettingsPath]);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var identity = JsonDocument.Parse(result.Stdout);
        var arn = identity.RootElement.GetProperty("Arn").GetString()!;
        Assert.Matches($@"^arn:aws:sts::{TestOrg.Account}:assumed-role/AWSReservedSSO_BedrockInference_[0-9a-f]+/alice$", arn);

        // The helper's second run is served from its cache: one portal call in all, and the same keys.
        Assert.Equal(1, emulator.RequestLog.Snapshot().Count(e => e.Operation == "GetRoleCredentials"));
        Assert.True(helper.ExitCode == 0, helper.ToString());
        using var process = JsonDocument.Parse(helper.Stdout);
        Assert.Equal(1, process.RootElement.GetProperty("Version").GetInt32());
        Assert.StartsWith("ASIA", process.RootElement.GetProperty("AccessKeyId").GetString(), StringComparison.Ordinal);
        var secret = process.RootElement.GetProperty("SecretAccessKey").GetString()!;
        var session = process.RootElement.GetProperty("SessionToken").GetString()!;
        Assert.InRange(DateTimeOffset.Parse(process.RootElement.GetProperty("Expiration").GetString()!, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddHours(7.5), DateTimeOffset.UtcNow.AddHours(8.5));
        foreach (var stderr in new[] { result.Stderr, helper.Stderr })
        {
            Assert.DoesNotContain(secret, stderr, StringComparison.Ordinal);
            Assert.DoesNotContain(session, stderr, StringComparison.Ordinal);
            Assert.DoesNotContain(accessToken, stderr, StringComparison.Ordinal);
        }
    }
}
