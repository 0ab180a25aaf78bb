using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Basalt.Credentials;
using Basalt.Credentials.Browser;
using Basalt.Credentials.IdentityCenter;
using Basalt.Tests.Credentials.Support;

namespace Basalt.Tests.Credentials.IdentityCenter;

/// <summary>The device authorization flow's timing, refresh and silent-context rules, against the emulator.</summary>
[Collection(EmulatorTestGroup.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DeviceFlowTests(EmulatorFixture fixture)
{
    private const string StartUrl = "https://d-9067example.awsapps.com/start";

    private static IdentityCenterSource Source(CredentialTestEnvironment env, string session)
        => new(StartUrl, "us-east-1", "123456789012", "BedrockInference", env.ToCredentialEnvironment(), sessionName: session);

    private static string CacheFile(CredentialTestEnvironment env, string name)
#pragma warning disable CA5350 // the AWS CLI names its cache files with SHA-1; computed here independently of Basalt's code
        => Path.Combine(env.Home, ".aws", "sso", "cache", Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(name))) + ".json");
#pragma warning restore CA5350

    [Fact]
    public async Task Polling_honours_the_interval_and_adds_five_seconds_after_slow_down()
    {
        using var env = new CredentialTestEnvironment(fixture.Emulator);
        var delays = new List<TimeSpan>();
        var source = Source(env, "slow-down");
        var tokens = source.Tokens;
        source = new IdentityCenterSource(StartUrl, "us-east-1", "123456789012", "BedrockInference", env.ToCredentialEnvironment(), sessionName: "slow-down")
        {
            Tokens = new SsoTokenProvider(tokens.Cache, new Basalt.Credentials.AwsClientFactory(Basalt.Credentials.AwsServiceEndpoints.FromEnvironment(env.ToCredentialEnvironment())), env.ToCredentialEnvironment())
            {
                // The first wait is skipped so the next poll comes too early and the emulator answers slow_down;
                // later waits are real, so the approval (made by the $BROWSER stand-in) is picked up.
                Delay = async (d, ct) =>
                {
                    delays.Add(d);
                    if (delays.Count > 1)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(1100), ct);
                    }
                },
            },
        };

        var credentials = await source.GetCredentialsAsync(new CredentialRequest(CredentialContext.Interactive, TextWriter.Null), default);
        Assert.StartsWith("ASIA", credentials.AccessKeyId);
        Assert.Equal(TimeSpan.FromSeconds(1), delays[0]);
        Assert.Equal(TimeSpan.FromSeconds(6), delays[1]);
        Assert.Contains((await fixture.Emulator.RequestsAsync()), r => r.Operation == "CreateToken" && r.Outcome == "SlowDownException");
    }

    [Fact]
    public async Task Silent_contexts_never_start_a_sign_in_and_say_an_interactive_run_is_needed()
    {
        using var env = new CredentialTestEnvironment(fixture.Emulator);
        var before = await fixture.Emulator.CountAsync("StartDeviceAuthorization", successOnly: false);
        foreach (var context in new[] { CredentialContext.MidSessionRefresh, CredentialContext.ScheduledTask, CredentialContext.SetupTest, CredentialContext.Background })
        {
            var error = await Assert.ThrowsAsync<CredentialException>(async () => await Source(env, "silent").GetCredentialsAsync(new CredentialRequest(context, TextWriter.Null), default));
            Assert.True(error.NeedsInteractiveSignIn);
        }

        Assert.Equal(before, await fixture.Emulator.CountAsync("StartDeviceAuthorization", successOnly: false));
        Assert.Equal(0, env.BrowserOpenings);
    }

    [Fact]
    public async Task A_token_near_expiry_is_refreshed_silently_with_the_refresh_token()
    {
        using var env = new CredentialTestEnvironment(fixture.Emulator);
        await Source(env, "refresh").GetCredentialsAsync(new CredentialRequest(CredentialContext.Interactive, TextWriter.Null), default);
        var file = CacheFile(env, "refresh");
        var entry = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        var oldAccessToken = (string)entry["accessToken"]!;
        entry["expiresAt"] = DateTimeOffset.UtcNow.AddMinutes(5).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        File.WriteAllText(file, entry.ToJsonString());
        var signIns = await fixture.Emulator.CountAsync("StartDeviceAuthorization");

        var credentials = await Source(env, "refresh").GetCredentialsAsync(new CredentialRequest(CredentialContext.MidSessionRefresh, TextWriter.Null), default);

        Assert.StartsWith("ASIA", credentials.AccessKeyId);
        Assert.Equal(signIns, await fixture.Emulator.CountAsync("StartDeviceAuthorization"));
        using var refreshed = JsonDocument.Parse(File.ReadAllText(file));
        Assert.NotEqual(oldAccessToken, refreshed.RootElement.GetProperty("accessToken").GetString());
        Assert.True(DateTimeOffset.Parse(refreshed.RootElement.GetProperty("expiresAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture) > DateTimeOffset.UtcNow.AddMinutes(30));
        Assert.Equal(1, env.BrowserOpenings);
    }

    [Fact]
    public async Task A_denied_sign_in_fails_with_a_message()
    {
        using var env = new CredentialTestEnvironment(fixture.Emulator);
        env.Variables["BASALT_TEST_DECISION"] = "deny";
        var error = await Assert.ThrowsAsync<CredentialException>(async () => await Source(env, "denied").GetCredentialsAsync(new CredentialRequest(CredentialContext.Interactive, TextWriter.Null), default));
        Assert.Contains("denied", error.Message);
    }

    [Fact]
    public async Task Without_a_display_the_url_and_code_are_printed_and_no_browser_is_started()
    {
        using var env = new CredentialTestEnvironment(fixture.Emulator);
        env.Variables["BROWSER"] = null;
        env.Variables["DISPLAY"] = null;
        env.Variables["WAYLAND_DISPLAY"] = null;
        env.Variables["SSH_CONNECTION"] = "10.0.0.1 50000 10.0.0.2 22";
        var launcher = new BrowserLauncher(env.ToCredentialEnvironment());
        Assert.True(launcher.IsHeadless);
        Assert.False(launcher.TryOpen("http://127.0.0.1:1/device?user_code=ABCD-EFGH"));

        // The flow still works: the user opens the printed URL elsewhere (here: the test approves it).
        var log = new SignalingWriter();
        var source = Source(env, "headless");
        var signIn = source.GetCredentialsAsync(new CredentialRequest(CredentialContext.Interactive, log), default).AsTask();
        var code = await log.UserCode.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await fixture.Emulator.ApproveAsync(code);
        Assert.StartsWith("ASIA", (await signIn).AccessKeyId);
        Assert.Contains("open this URL in a browser", log.ToString());
    }

    /// <summary>A log that reports the user code as soon as the flow prints it.</summary>
    private sealed class SignalingWriter : StringWriter
    {
        public TaskCompletionSource<string> UserCode { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            const string marker = "shows the code: ";
            if (value is not null && value.Contains(marker, StringComparison.Ordinal))
            {
                UserCode.TrySetResult(value[(value.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..].Trim());
            }
        }
    }
}
