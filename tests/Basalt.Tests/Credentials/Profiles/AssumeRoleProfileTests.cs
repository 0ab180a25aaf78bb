using System.Text.Json;
using Basalt.Credentials;
using Basalt.Credentials.Profiles;
using Basalt.Tests.Credentials.Support;

namespace Basalt.Tests.Credentials.Profiles;

[Collection(EmulatorTestGroup.Name)]
public sealed class AssumeRoleProfileTests(EmulatorFixture emulator)
{
    private static readonly CredentialRequest Silent = new(CredentialContext.Background, TextWriter.Null);

    private const string Config = """
        [profile base]
        region = us-east-1

        [profile role]
        role_arn = arn:aws:iam::123456789012:role/BedrockRole
        source_profile = base
        external_id = ext-1234
        role_session_name = alice-laptop
        duration_seconds = 1800
        region = us-east-1

        [profile chained]
        role_arn = arn:aws:iam::123456789012:role/ChainedRole
        source_profile = role

        [profile wrong-external-id]
        role_arn = arn:aws:iam::123456789012:role/BedrockRole
        source_profile = base
        external_id = nope-0000

        [profile loop-a]
        role_arn = arn:aws:iam::123456789012:role/BedrockRole
        source_profile = loop-b

        [profile loop-b]
        role_arn = arn:aws:iam::123456789012:role/BedrockRole
        source_profile = loop-a

        [profile self]
        role_arn = arn:aws:iam::123456789012:role/BedrockRole
        source_profile = self
        external_id = ext-1234
        aws_access_key_id = AKIAALICEEXAMPLE0001
        aws_secret_access_key = alice/secret/0001+xyz
        """;

    private const string Credentials = """
        [base]
        aws_access_key_id = AKIAALICEEXAMPLE0001
        aws_secret_access_key = alice/secret/0001+xyz
        """;

    [Theory]
    [InlineData("role", "BedrockRole/alice-laptop")]
    [InlineData("chained", "ChainedRole/botocore-session-")]
    [InlineData("self", "BedrockRole/botocore-session-")]
    public async Task Role_chains_assume_the_role_at_sts_like_the_aws_cli(string profile, string sessionArnPart)
    {
        using var env = new CredentialTestEnvironment(emulator.Emulator);
        env.WriteConfig(Config);
        env.WriteCredentials(Credentials);
        var basalt = await new AwsProfileSource(profile, env.ToCredentialEnvironment()).GetCredentialsAsync(Silent, default);
        Assert.StartsWith("ASIA", basalt.AccessKeyId);
        Assert.NotNull(basalt.Expiration);

        // The same profile through the real AWS CLI v2 against the same STS: both must get role credentials.
        var cli = await env.AwsAsync("configure", "export-credentials", "--profile", profile);
        Assert.True(cli.ExitCode == 0, cli.ToString());
        using var document = JsonDocument.Parse(cli.Stdout);
        Assert.StartsWith("ASIA", document.RootElement.GetProperty("AccessKeyId").GetString());

        // Who STS says Basalt's credentials belong to.
        env.Variables["AWS_ACCESS_KEY_ID"] = basalt.AccessKeyId;
        env.Variables["AWS_SECRET_ACCESS_KEY"] = basalt.SecretAccessKey;
        env.Variables["AWS_SESSION_TOKEN"] = basalt.SessionToken;
        env.Variables["AWS_REGION"] = "us-east-1";
        var identity = await env.AwsAsync("sts", "get-caller-identity", "--output", "json");
        Assert.True(identity.ExitCode == 0, identity.ToString());
        Assert.Contains(sessionArnPart, identity.Stdout);
    }

    [Fact]
    public async Task Duration_seconds_is_passed_to_sts()
    {
        using var env = new CredentialTestEnvironment(emulator.Emulator);
        env.WriteConfig(Config);
        env.WriteCredentials(Credentials);
        var before = DateTimeOffset.UtcNow;
        var basalt = await new AwsProfileSource("role", env.ToCredentialEnvironment()).GetCredentialsAsync(Silent, default);
        var lifetime = basalt.Expiration!.Value - before;
        Assert.InRange(lifetime.TotalSeconds, 1700, 1810);
    }

    [Theory]
    [InlineData("loop-a", "Infinite loop")]
    [InlineData("wrong-external-id", "AccessDenied")]
    public async Task Cycles_and_sts_refusals_fail_with_a_clear_message(string profile, string expected)
    {
        using var env = new CredentialTestEnvironment(emulator.Emulator);
        env.WriteConfig(Config);
        env.WriteCredentials(Credentials);
        var error = await Assert.ThrowsAsync<CredentialException>(async () => await new AwsProfileSource(profile, env.ToCredentialEnvironment()).GetCredentialsAsync(Silent, default));
        Assert.Contains(expected, error.Message);
        var cli = await env.AwsAsync("configure", "export-credentials", "--profile", profile);
        Assert.NotEqual(0, cli.ExitCode);
    }
}
