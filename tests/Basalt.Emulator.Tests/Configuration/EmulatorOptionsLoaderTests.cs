using Basalt.Emulator.Tests.TestSupport;
using Basalt.Testing;

namespace Basalt.Emulator.Tests.Configuration;

public sealed class EmulatorOptionsLoaderTests
{
    [Fact]
    public void Example_identities_file_loads_without_diagnostics()
    {
        var options = EmulatorOptions.Load(Path.Combine(RepoPaths.Examples, "emulator", "identities.yaml"));

        Assert.Empty(options.Diagnostics);
        Assert.Equal("us-east-1", options.Region);
        Assert.Equal(8401, options.Port);
        Assert.Equal("111122223333", Assert.Single(options.Accounts).Id);
        Assert.Equal(["alice", "bob"], options.Users.Select(u => u.Name));
        Assert.Equal("AKIAIOSFODNN7EXAMPLE", Assert.Single(options.Users[0].AccessKeys).AccessKeyId);
        Assert.Single(options.Users[1].BedrockApiKeys);
        var permissionSet = Assert.Single(options.PermissionSets);
        Assert.Equal(("BedrockInference", TimeSpan.FromHours(8)), (permissionSet.Name, permissionSet.SessionDuration));
        var federated = options.Roles.Single(r => r.Name == "BedrockFederated");
        Assert.Equal("http://127.0.0.1:8400", Assert.Single(federated.WebIdentity).Issuer);
        Assert.Equal(TimeSpan.FromHours(12), federated.MaxSessionDuration);
        Assert.Equal("basalt-example", options.Roles.Single(r => r.Name == "BedrockDeveloper").ExternalId);
        Assert.Equal(TimeSpan.FromHours(8), options.IdentityCenter.AccessTokenLifetime);
    }

    [Fact]
    public async Task Example_identities_file_serves_sts_for_its_static_key()
    {
        var options = EmulatorOptions.Load(Path.Combine(RepoPaths.Examples, "emulator", "identities.yaml"));
        options.Port = 0;
        await using var emulator = await EmulatorServer.StartAsync(options);

        var result = await AwsCli.RunAsync(emulator, new Dictionary<string, string?> { ["AWS_ACCESS_KEY_ID"] = options.Users[0].AccessKeys[0].AccessKeyId, ["AWS_SECRET_ACCESS_KEY"] = options.Users[0].AccessKeys[0].SecretAccessKey },
            "sts", "assume-role", "--role-arn", "arn:aws:iam::111122223333:role/BedrockDeveloper", "--role-session-name", "example", "--external-id", "basalt-example", "--query", "AssumedRoleUser.Arn");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("\"arn:aws:sts::111122223333:assumed-role/BedrockDeveloper/example\"", result.Stdout.Trim());
    }

    [Fact]
    public void Bad_values_are_reported_with_file_line_code_and_fix()
    {
        const string Yaml = """
            region: us-east-1
            accounts:
              - id: 1234
            users:
              - name: alice
                account: "999999999999"
                accessKeys:
                  - accessKeyId: not-a-key-EXAMPLE
                    secretAccessKey: short
            roles:
              - name: R
                account: "999999999999"
                maxSessionDuration: 20h
            identityCenter:
              pollIntervl: 5s
            """;

        var options = EmulatorOptions.Parse(Yaml, "/tmp/identities.yaml");

        Assert.True(options.HasErrors);
        var byCode = options.Diagnostics.ToLookup(d => d.Code);
        var account = Assert.Single(byCode["EMU1005"], d => d.Key == "accounts[0].id");
        Assert.Equal(("/tmp/identities.yaml", 3), (account.Location!.File, account.Location.Line));
        Assert.NotNull(account.Fix);
        var user = Assert.Single(byCode["EMU1006"], d => d.Key == "users[0].account");
        Assert.Equal(6, user.Location!.Line);
        var key = Assert.Single(byCode["EMU1008"], d => d.Key == "users[0].accessKeys[0].accessKeyId");
        Assert.Equal(8, key.Location!.Line);
        Assert.Contains(byCode["EMU1006"], d => d.Key == "roles[0].account" && d.Location!.Line == 12);
        var typo = Assert.Single(byCode["EMU1002"]);
        Assert.Equal(("identityCenter.pollIntervl", 15), (typo.Key, typo.Location!.Line));
        Assert.False(typo.IsError);
        Assert.All(options.Diagnostics, d => Assert.DoesNotContain("short", d.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Syntax_errors_and_missing_files_are_diagnostics_not_exceptions()
    {
        var syntax = EmulatorOptions.Parse("users:\n  - name: [unclosed\n", "broken.yaml");
        var missing = EmulatorOptions.Load("/nonexistent/identities.yaml");

        var d = Assert.Single(syntax.Diagnostics);
        Assert.Equal("EMU1001", d.Code);
        Assert.Equal("broken.yaml", d.Location!.File);
        Assert.True(d.Location.Line > 0);
        Assert.Equal("EMU1000", Assert.Single(missing.Diagnostics).Code);
    }

    [Fact]
    public void Trust_entries_are_checked_and_jwks_files_resolve_next_to_the_yaml()
    {
        using var dir = new TempDirectory("emu-config");
        dir.Write("keys/jwks.json", """{"keys":[]}""");
        var path = dir.Write("identities.yaml", """
            accounts:
              - id: "111122223333"
            roles:
              - name: Federated
                account: "111122223333"
                trust:
                  principals: [alice, "arn:aws:iam::111122223333:root"]
                  webIdentity:
                    - issuer: http://127.0.0.1:8400
                      audiences: [desktop]
                      jwksFile: keys/jwks.json
                    - issuer: not a url
                      audiences: [x]
                    - issuer: https://idp.example.com
            """);

        var options = EmulatorOptions.Load(path);

        Assert.Contains(options.Diagnostics, d => d.Key == "roles[0].trust.principals" && d.Message.Contains("'alice'", StringComparison.Ordinal) && d.Location!.Line == 7);
        Assert.Contains(options.Diagnostics, d => d.Key == "roles[0].trust.webIdentity[1].issuer" && d.Location!.Line == 12);
        Assert.Contains(options.Diagnostics, d => d.Key == "roles[0].trust.webIdentity[2].audiences" && d.Code == "EMU1004");
        var role = Assert.Single(options.Roles);
        Assert.Equal(["arn:aws:iam::111122223333:root"], role.TrustedPrincipals);
        Assert.Equal(dir.Combine("keys", "jwks.json"), Assert.Single(role.WebIdentity).JwksFile);
    }

    [Fact]
    public async Task Web_identity_keys_can_come_from_a_configured_jwks_file()
    {
        await using var issuer = await TestOidcIssuer.StartAsync();
        using var dir = new TempDirectory("emu-jwks");
        dir.Write("jwks.json", issuer.JwksJson());

        // The issuer named in the trust is not served over HTTP at all: only the file can supply the keys.
        const string OfflineIssuer = "https://idp.offline.example.com";
        var path = dir.Write("identities.yaml", $"""
            accounts:
              - id: "111122223333"
            roles:
              - name: Federated
                account: "111122223333"
                trust:
                  webIdentity:
                    - issuer: {OfflineIssuer}
                      audiences: [desktop]
                      jwksFile: jwks.json
            """);
        var options = EmulatorOptions.Load(path);
        Assert.False(options.HasErrors, string.Join("\n", options.Diagnostics));
        await using var emulator = await EmulatorServer.StartAsync(options);
        var token = issuer.Mint(issuer.Claims("desktop", DateTimeOffset.UtcNow, issuer: OfflineIssuer), "ES256");

        var answer = await NodePeer.RunAsync("sts/call.mjs", new
        {
            endpoint = emulator.BaseAddress,
            operation = "AssumeRoleWithWebIdentity",
            input = new { RoleArn = "arn:aws:iam::111122223333:role/Federated", RoleSessionName = "offline", WebIdentityToken = token },
        });

        Assert.True(answer["ok"]!.GetValue<bool>(), answer.ToJsonString());
        Assert.Equal(0, issuer.JwksRequests);
    }

    [Fact]
    public void Http2_port_is_read_and_must_differ_from_the_http1_port()
    {
        var options = EmulatorOptions.Parse("port: 8401\nhttp2Port: 8402\n", "emulator.yaml");
        Assert.Empty(options.Diagnostics);
        Assert.Equal((8401, 8402), (options.Port, options.Http2Port));

        var clash = EmulatorOptions.Parse("port: 8401\nhttp2Port: 8401\n", "emulator.yaml");
        var d = Assert.Single(clash.Diagnostics);
        Assert.True(d.IsError);
        Assert.Equal(("http2Port", 2), (d.Key, d.Location?.Line));

        var bad = EmulatorOptions.Parse("http2Port: h2\n", "emulator.yaml");
        Assert.Equal("http2Port", Assert.Single(bad.Diagnostics).Key);
    }
}
