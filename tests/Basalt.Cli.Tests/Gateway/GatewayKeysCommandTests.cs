using Basalt.Identity;
using Basalt.Identity.ApiKeys;
using Basalt.Identity.ApiKeys.Stores;
using Basalt.Identity.Groups;
using Basalt.Testing;

namespace Basalt.Cli.Tests.Gateway;

/// <summary>
/// <c>basalt gateway keys</c> in-process against a real SQLite store named by the configuration (issue 9 item 5):
/// a created key is printed once on stdout and authenticates at the gateway's authenticator; list shows prefix,
/// owner, expiry and last use but never a secret; rotate and revoke stop the old key.
/// </summary>
public sealed class GatewayKeysCommandTests : IDisposable
{
    private const string Config = """
        gateway:
          upstreams:
            east:
              region: us-east-1
              credentials: { source: profile, profile: gateway }
          models:
            claude-haiku-4-5:
              aliases: [haiku]
              routes: [ { upstream: east, model: us.anthropic.claude-haiku-4-5-20251001-v1:0 } ]
          groups:
            engineering: { models: ["*"] }
          identity:
            managedKeys: { sqlite: state/keys.db }
        """;

    private readonly TempDirectory _dir = new("cli-gateway-keys");

    public GatewayKeysCommandTests() => _dir.Write("gateway.yaml", Config);

    private string ConfigPath => _dir.Combine("gateway.yaml");

    private string StorePath => _dir.Combine("state", "keys.db");

    public void Dispose() => _dir.Dispose();

    private Task<ProcessResult> Keys(params string[] args) => InProcessCli.RunAsync(["gateway", "keys", .. args, "--config", ConfigPath]);

    private async Task<AuthenticationResult> AuthenticateAsync(string key)
    {
        // A fresh authenticator each time: no cache between steps, as another gateway replica would see it.
        var store = await SqlApiKeyStore.OpenSqliteAsync(StorePath, CancellationToken.None);
        var authenticator = new ManagedApiKeyAuthenticator(store, GroupMapping.None);
        return await authenticator.AuthenticateAsync(new AuthenticationRequest(key, null, "/v1/messages"), CancellationToken.None);
    }

    [Fact]
    public async Task Create_prints_the_key_once_on_stdout_and_it_authenticates_as_its_owner_with_its_models()
    {
        var r = await Keys("create", "--name", "ci", "--user", "user-42", "--expires", "30d", "--models", "haiku");

        Assert.True(r.ExitCode == 0, r.ToString());
        var key = Assert.Single(r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Trim();
        Assert.Matches("^bsk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$", key);
        Assert.DoesNotContain(key, r.Stderr, StringComparison.Ordinal);
        Assert.Contains("shown only now", r.Stderr, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(StorePath));
        }

        var result = await AuthenticateAsync(key);
        Assert.Equal(AuthenticationOutcome.Authenticated, result.Outcome);
        Assert.Equal("user-42", result.Principal!.UserId);
        Assert.Equal(["haiku"], result.Principal.AllowedModels);
        Assert.DoesNotContain(key, await File.ReadAllTextAsync(StorePath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_shows_prefix_owner_expiry_and_last_use_but_never_the_key()
    {
        var created = (await Keys("create", "--name", "laptop", "--team", "engineering", "--expires", "2030-01-31")).Stdout.Trim();
        var prefix = created[..16];

        var before = await Keys("list");
        Assert.True(before.ExitCode == 0, before.ToString());
        Assert.Contains(prefix, before.Stdout, StringComparison.Ordinal);
        Assert.Contains("team engineering", before.Stdout, StringComparison.Ordinal);
        Assert.Contains("2030-01-31 00:00 UTC", before.Stdout, StringComparison.Ordinal);
        Assert.Contains("never", before.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(created[17..], before.Stdout + before.Stderr, StringComparison.Ordinal);

        Assert.Equal(AuthenticationOutcome.Authenticated, (await AuthenticateAsync(created)).Outcome);
        var after = await Keys("list");
        Assert.Contains(DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + " ", after.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("never", after.Stdout.Split('\n').Single(l => l.Contains(prefix, StringComparison.Ordinal)).Replace("2030-01-31", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rotate_prints_a_new_key_and_the_old_one_is_refused_and_revoke_stops_the_new_one()
    {
        var old = (await Keys("create", "--name", "svc", "--user", "user-1")).Stdout.Trim();
        var id = old[4..16];

        var rotated = await Keys("rotate", id);
        Assert.True(rotated.ExitCode == 0, rotated.ToString());
        var replacement = rotated.Stdout.Trim();
        Assert.NotEqual(old, replacement);
        Assert.Equal(AuthenticationOutcome.Rejected, (await AuthenticateAsync(old)).Outcome);
        Assert.Equal(AuthenticationOutcome.Authenticated, (await AuthenticateAsync(replacement)).Outcome);

        var revoked = await Keys("revoke", replacement[..16]);
        Assert.True(revoked.ExitCode == 0, revoked.ToString());
        Assert.Equal(AuthenticationOutcome.Rejected, (await AuthenticateAsync(replacement)).Outcome);

        var listed = await Keys("list", "--all");
        Assert.Equal(2, listed.Stdout.Split('\n').Count(l => l.Contains("revoked", StringComparison.Ordinal)));
        var again = await Keys("rotate", id);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("revoked or expired", again.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "create", "--name", "x", "--user", "u", "--models", "haiku-4-5" }, "not a model of this gateway")]
    [InlineData(new[] { "create", "--name", "x", "--user", "u", "--team", "t" }, "exactly one of --user")]
    [InlineData(new[] { "create", "--name", "x", "--user", "u", "--expires", "soon" }, "neither a duration")]
    [InlineData(new[] { "revoke", "0123456789ab" }, "no managed API key with id '0123456789ab'")]
    public async Task Bad_input_exits_1_with_a_message_that_says_what_to_do(string[] args, string message)
    {
        var r = await Keys(args);

        Assert.Equal(1, r.ExitCode);
        Assert.Contains(message, r.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, r.Stdout.Trim());
    }

    [Fact]
    public async Task Without_managed_keys_in_the_configuration_the_command_says_how_to_turn_them_on()
    {
        _dir.Write("plain.yaml", Config[..Config.IndexOf("  identity:", StringComparison.Ordinal)]);

        var r = await InProcessCli.RunAsync(["gateway", "keys", "list", "--config", _dir.Combine("plain.yaml")]);

        Assert.Equal(1, r.ExitCode);
        Assert.Contains("managed keys are not configured; add 'identity: { managedKeys:", r.Stderr, StringComparison.Ordinal);
    }
}
