using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Basalt.Credentials;
using Basalt.Credentials.IdentityCenter;
using Basalt.Credentials.Profiles;
using Basalt.Tests.Credentials.Support;

namespace Basalt.Tests.Credentials.IdentityCenter;

/// <summary>
/// IAM Identity Center sign-in against the emulator, and the shared token cache proven in both directions with the
/// real AWS CLI v2: a Basalt sign-in is used by <c>aws configure export-credentials</c>, and an <c>aws sso login</c>
/// is used by Basalt, each without a second sign-in.
/// </summary>
[Collection(EmulatorTestGroup.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class IdentityCenterInteropTests(EmulatorFixture fixture)
{
    private const string StartUrl = "https://d-9067example.awsapps.com/start";

    private static string CacheFile(CredentialTestEnvironment env, string name)
#pragma warning disable CA5350 // the AWS CLI names its cache files with SHA-1; computed here independently of Basalt's code
        => Path.Combine(env.Home, ".aws", "sso", "cache", Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(name))) + ".json");
#pragma warning restore CA5350

    private static string ProfileConfig(string session) => $"""
        [profile p]
        sso_session = {session}
        sso_account_id = 123456789012
        sso_role_name = BedrockInference
        region = us-west-2

        [sso-session {session}]
        sso_start_url = {StartUrl}
        sso_region = us-east-1
        sso_registration_scopes = sso:account:access
        """;

    [Fact]
    public async Task Basalt_device_sign_in_fills_the_aws_cli_cache_and_the_cli_uses_it_without_signing_in()
    {
        var emulator = fixture.Emulator;
        using var env = new CredentialTestEnvironment(emulator);
        var signInsBefore = await emulator.CountAsync("StartDeviceAuthorization");
        var log = new StringWriter();
        var source = new IdentityCenterSource(StartUrl, "us-east-1", "123456789012", "BedrockInference", env.ToCredentialEnvironment(), sessionName: "corp");

        var credentials = await source.GetCredentialsAsync(new CredentialRequest(CredentialContext.Interactive, log), default);

        Assert.StartsWith("ASIA", credentials.AccessKeyId);
        Assert.Equal(1, env.BrowserOpenings);
        Assert.Equal(signInsBefore + 1, await emulator.CountAsync("StartDeviceAuthorization"));
        Assert.Contains("/device?user_code=", log.ToString());

        // The cache entry is the AWS CLI's: file name, fields, formats, owner-only.
        var cacheFile = CacheFile(env, "corp");
        using var cached = JsonDocument.Parse(File.ReadAllText(cacheFile));
        var root = cached.RootElement;
        Assert.Equal(["startUrl", "region", "accessToken", "expiresAt", "clientId", "clientSecret", "registrationExpiresAt", "refreshToken"], root.EnumerateObject().Select(p => p.Name));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", root.GetProperty("expiresAt").GetString());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(cacheFile));
        var registration = Path.Combine(Path.GetDirectoryName(cacheFile)!, SsoTokenCache.RegistrationKey(StartUrl, "us-east-1", "corp", ["sso:account:access"]) + ".json");
        Assert.True(File.Exists(registration));

        // No secret in what the user sees.
        foreach (var secret in new[] { credentials.SecretAccessKey, credentials.SessionToken!, root.GetProperty("accessToken").GetString()!, root.GetProperty("refreshToken").GetString()!, root.GetProperty("clientSecret").GetString()! })
        {
            Assert.DoesNotContain(secret, log.ToString());
        }

        env.WriteConfig(ProfileConfig("corp"));
        var cli = await env.AwsAsync("configure", "export-credentials", "--profile", "p");
        Assert.True(cli.ExitCode == 0, cli.ToString());
        Assert.StartsWith("ASIA", JsonDocument.Parse(cli.Stdout).RootElement.GetProperty("AccessKeyId").GetString());
        Assert.Equal(signInsBefore + 1, await emulator.CountAsync("StartDeviceAuthorization"));
    }

    [Fact]
    public async Task Aws_sso_login_fills_the_cache_and_basalt_uses_it_silently()
    {
        var emulator = fixture.Emulator;
        using var env = new CredentialTestEnvironment(emulator);
        env.WriteConfig(ProfileConfig("cli-session"));
        var login = await env.AwsAsync("sso", "login", "--profile", "p");
        Assert.True(login.ExitCode == 0, login.ToString());
        Assert.Equal(1, env.BrowserOpenings);
        var signIns = await emulator.CountAsync("StartDeviceAuthorization");

        // Background context: no browser allowed, so this only works from the CLI's cache.
        var silent = new CredentialRequest(CredentialContext.Background, TextWriter.Null);
        var fromProfile = await new AwsProfileSource("p", env.ToCredentialEnvironment()).GetCredentialsAsync(silent, default);
        Assert.StartsWith("ASIA", fromProfile.AccessKeyId);

        var fromIdentityCenter = await new IdentityCenterSource(StartUrl, "us-east-1", "123456789012", "BedrockInference", env.ToCredentialEnvironment(), sessionName: "cli-session")
            .GetCredentialsAsync(silent, default);
        Assert.StartsWith("ASIA", fromIdentityCenter.AccessKeyId);
        Assert.Equal(signIns, await emulator.CountAsync("StartDeviceAuthorization"));

        // Basalt computes the name of the CLI's client-registration file exactly.
        var registration = Path.Combine(env.Home, ".aws", "sso", "cache", SsoTokenCache.RegistrationKey(StartUrl, "us-east-1", "cli-session", ["sso:account:access"]) + ".json");
        Assert.True(File.Exists(registration), "the AWS CLI's registration cache file has the name Basalt computes");
    }

    [Fact]
    public async Task A_named_profile_without_a_token_runs_aws_sso_login_in_interactive_context_only()
    {
        var emulator = fixture.Emulator;
        using var env = new CredentialTestEnvironment(emulator);
        env.WriteConfig(ProfileConfig("login-run"));
        var source = new AwsProfileSource("p", env.ToCredentialEnvironment(), awsCliPath: "/usr/bin/aws");

        var silent = await Assert.ThrowsAsync<CredentialException>(async () => await source.GetCredentialsAsync(new CredentialRequest(CredentialContext.MidSessionRefresh, TextWriter.Null), default));
        Assert.True(silent.NeedsInteractiveSignIn);
        Assert.Contains("aws sso login --profile p", silent.Message);
        Assert.Equal(0, env.BrowserOpenings);

        var log = new StringWriter();
        var credentials = await source.GetCredentialsAsync(new CredentialRequest(CredentialContext.Interactive, log), default);
        Assert.StartsWith("ASIA", credentials.AccessKeyId);
        Assert.Equal(1, env.BrowserOpenings);
        Assert.Contains("sso login --profile p", log.ToString());
        Assert.Contains("Successfully logged into Start URL", log.ToString());
    }

    [Fact]
    public async Task Without_an_aws_cli_the_user_is_told_what_to_install_and_run()
    {
        using var env = new CredentialTestEnvironment(fixture.Emulator);
        env.WriteConfig(ProfileConfig("no-cli"));
        env.Variables["PATH"] = env.Combine("empty-bin");
        env.Variables["SHELL"] = null;
        if (new[] { "/usr/local/bin/aws", "/opt/homebrew/bin/aws" }.FirstOrDefault(File.Exists) is { } installed)
        {
            // This machine has the AWS CLI where its installer puts it, and the helper rightly falls back to that
            // place when PATH lacks it, so "not installed" cannot happen here: assert the fallback instead.
            Assert.Equal(installed, await AwsCli.FindAsync(env.ToCredentialEnvironment(), null, default));
            return;
        }

        var source = new AwsProfileSource("p", env.ToCredentialEnvironment());
        var error = await Assert.ThrowsAsync<CredentialException>(async () => await source.GetCredentialsAsync(new CredentialRequest(CredentialContext.Interactive, TextWriter.Null), default));
        Assert.Contains("Install AWS CLI v2", error.Message);
        Assert.Contains("aws sso login --profile p", error.Message);
    }

    [Fact]
    public async Task The_cli_is_found_on_the_login_shell_path_when_the_launch_path_lacks_it()
    {
        using var env = new CredentialTestEnvironment();
        var bin = Directory.CreateDirectory(env.Combine("login-bin")).FullName;
        var aws = env.Write(Path.Combine(bin, "aws"), "#!/bin/sh\necho fake\n");
        File.SetUnixFileMode(aws, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        env.Write(Path.Combine(env.Home, ".profile"), $"PATH=\"{bin}:$PATH\"\nexport PATH\n");
        env.Variables["PATH"] = env.Combine("empty-bin");
        env.Variables["SHELL"] = "/bin/sh";
        Assert.Equal(aws, await AwsCli.FindAsync(env.ToCredentialEnvironment(), null, default));
        Assert.Equal("/usr/bin/aws", await AwsCli.FindAsync(env.ToCredentialEnvironment(), "/usr/bin/aws", default));
        env.Variables["PATH"] = bin;
        Assert.Equal(aws, await AwsCli.FindAsync(env.ToCredentialEnvironment(), null, default));
    }
}
