using System.Text.Json;
using Basalt.Credentials;
using Basalt.Credentials.Profiles;
using Basalt.Tests.Credentials.Support;

namespace Basalt.Tests.Credentials.Profiles;

public sealed class AwsConfigFileTests
{
    private const string Config = """
        # a comment line
        ; another comment
        [DEFAULT]
        region = eu-west-1

        [default]
        aws_access_key_id = AKIADEFAULT00EXAMPLE
        aws_secret_access_key = default/secret

        [profile colon]
        AWS_ACCESS_KEY_ID: AKIACOLON0000EXAMPLE
        aws_secret_access_key:colon/secret#not-a-comment
        s3 =
          addressing_style = path
          signature_version = s3v4

        [profile "spaced name"]
        aws_access_key_id = AKIASPACED000EXAMPLE
        aws_secret_access_key = spaced/secret

        [profile overridden]
        aws_access_key_id = AKIACONFIGFILEXAMPLE
        aws_secret_access_key = from-config

        [profile continued]
        aws_access_key_id = AKIACONTINUEDEXAMPLE
        aws_secret_access_key = first
           second

        [sso-session corp]
        sso_start_url = https://d-9067example.awsapps.com/start
        sso_region = us-east-1

        [services local]
        sts =
          endpoint_url = http://127.0.0.1:1
        """;

    private const string Credentials = """
        [overridden]
        aws_access_key_id = AKIACREDENTIAEXAMPLE
        aws_secret_access_key = from-credentials
        aws_session_token = token-from-credentials

        [profile notaprofile]
        aws_access_key_id = AKIANOTAPROFIEXAMPLE
        aws_secret_access_key = literal-section-name
        """;

    [Fact]
    public void Sections_comments_delimiters_nesting_and_defaults_follow_configparser()
    {
        var config = AwsSharedConfig.Parse(Config, Credentials);
        Assert.Empty(config.Diagnostics);
        Assert.Equal(["default", "colon", "spaced name", "overridden", "continued", "profile notaprofile"], config.Profiles.Keys);
        Assert.True(config.SsoSessions.ContainsKey("corp"));
        var colon = config.Profiles["colon"];
        Assert.Equal("AKIACOLON0000EXAMPLE", colon.Get("aws_access_key_id"));
        Assert.Equal("colon/secret#not-a-comment", colon.Get("aws_secret_access_key"));
        Assert.Equal("path", colon.GetNested("s3")!["addressing_style"]);
        Assert.Equal("eu-west-1", colon.Get("region"));
        Assert.Equal("first\nsecond", config.Profiles["continued"].Get("aws_secret_access_key"));
        Assert.Equal("from-credentials", config.Profiles["overridden"].Get("aws_secret_access_key"));
        Assert.Equal(11, colon.LocationOf("aws_access_key_id").Line);
    }

    [Theory]
    [InlineData("[profile a]\nregion = x\n[profile a]\nregion = y\n", 3)]
    [InlineData("region = x\n[profile a]\n", 1)]
    [InlineData("[profile a]\nregion = x\nregion = y\n", 3)]
    [InlineData("[profile a]\nthis line has no delimiter\n", 2)]
    [InlineData("[profile a]\ns3 =\n  no delimiter here\n", 2)]
    public void Files_the_cli_rejects_yield_an_error_with_the_line(string text, int line)
    {
        var config = AwsSharedConfig.Parse(text, null, "/x/config");
        var error = Assert.Single(config.Diagnostics);
        Assert.True(error.IsError);
        Assert.Equal(line, error.Location!.Line);
        Assert.Empty(config.Profiles);
    }

    [Fact]
    public async Task Static_profiles_resolve_to_what_aws_cli_v2_resolves()
    {
        using var env = new CredentialTestEnvironment();
        env.WriteConfig(Config);
        env.WriteCredentials(Credentials);
        foreach (var profile in new[] { "default", "colon", "spaced name", "overridden", "continued", "profile notaprofile" })
        {
            var cli = await env.AwsAsync("configure", "export-credentials", "--profile", profile);
            Assert.True(cli.ExitCode == 0, $"{profile}: {cli}");
            using var expected = JsonDocument.Parse(cli.Stdout);
            var basalt = await new AwsProfileSource(profile, env.ToCredentialEnvironment()).GetCredentialsAsync(new CredentialRequest(CredentialContext.Background, TextWriter.Null), default);
            Assert.Equal(expected.RootElement.GetProperty("AccessKeyId").GetString(), basalt.AccessKeyId);
            Assert.Equal(expected.RootElement.GetProperty("SecretAccessKey").GetString(), basalt.SecretAccessKey);
            Assert.Equal(expected.RootElement.TryGetProperty("SessionToken", out var t) ? t.GetString() : null, basalt.SessionToken);
        }
    }

    [Fact]
    public async Task Aws_dir_and_environment_file_variables_choose_the_files()
    {
        using var env = new CredentialTestEnvironment();
        var other = env.Combine("elsewhere");
        env.Write(Path.Combine(other, "config"), "[profile p]\naws_access_key_id = AKIAAWSDIR000EXAMPLE\naws_secret_access_key = s1\n");
        env.Write(env.Combine("custom-config"), "[profile p]\naws_access_key_id = AKIAENVFILE00EXAMPLE\naws_secret_access_key = s2\n");
        var request = new CredentialRequest(CredentialContext.Background, TextWriter.Null);

        var fromDir = await new AwsProfileSource("p", env.ToCredentialEnvironment(), awsDirectory: other).GetCredentialsAsync(request, default);
        Assert.Equal("AKIAAWSDIR000EXAMPLE", fromDir.AccessKeyId);

        env.Variables["AWS_CONFIG_FILE"] = env.Combine("custom-config");
        var fromVariable = await new AwsProfileSource("p", env.ToCredentialEnvironment()).GetCredentialsAsync(request, default);
        Assert.Equal("AKIAENVFILE00EXAMPLE", fromVariable.AccessKeyId);
        var cli = await env.AwsAsync("configure", "export-credentials", "--profile", "p");
        Assert.Contains("AKIAENVFILE00EXAMPLE", cli.Stdout);
    }

    [Fact]
    public async Task Missing_profile_and_partial_keys_fail_with_a_message_naming_the_profile()
    {
        using var env = new CredentialTestEnvironment();
        env.WriteConfig("[profile partial]\naws_access_key_id = AKIAPARTIAL00EXAMPLE\n");
        var request = new CredentialRequest(CredentialContext.Background, TextWriter.Null);
        var missing = await Assert.ThrowsAsync<CredentialException>(async () => await new AwsProfileSource("nope", env.ToCredentialEnvironment()).GetCredentialsAsync(request, default));
        Assert.Contains("(nope) could not be found", missing.Message);
        var partial = await Assert.ThrowsAsync<CredentialException>(async () => await new AwsProfileSource("partial", env.ToCredentialEnvironment()).GetCredentialsAsync(request, default));
        Assert.Contains("aws_secret_access_key", partial.Message);
        Assert.NotEqual(0, (await env.AwsAsync("configure", "export-credentials", "--profile", "partial")).ExitCode);
    }
}
