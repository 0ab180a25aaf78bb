using System.Text.Json.Nodes;
using Basalt.Emulator.Tests.TestSupport;

namespace Basalt.Emulator.Tests.Sts;

/// <summary>The real AWS SDK for JavaScript v3 (@aws-sdk/client-sts, awsQuery protocol) against the emulator's STS.</summary>
public sealed class StsJavaScriptSdkTests
{
    [Fact]
    public async Task GetCallerIdentity_returns_the_iam_user_for_a_static_key()
    {
        var org = new TestOrg();
        await using var emulator = await EmulatorServer.StartAsync(org.Options);

        var answer = await NodePeer.RunAsync("sts/call.mjs", new { endpoint = emulator.BaseAddress, operation = "GetCallerIdentity", credentials = org.AliceCredentials });

        Assert.True(answer["ok"]!.GetValue<bool>(), answer.ToJsonString());
        Assert.Equal("arn:aws:iam::111122223333:user/engineering/alice", answer["output"]!["Arn"]!.GetValue<string>());
        Assert.Equal(TestOrg.Account, answer["output"]!["Account"]!.GetValue<string>());
        Assert.StartsWith("AIDA", answer["output"]!["UserId"]!.GetValue<string>(), StringComparison.Ordinal);
        var entry = Assert.Single(emulator.RequestLog.Snapshot());
        Assert.Equal(("sts", "GetCallerIdentity", "Success", "arn:aws:iam::111122223333:user/engineering/alice"), (entry.Service, entry.Operation, entry.Outcome, entry.PrincipalArn));
    }

    [Fact]
    public async Task AssumeRole_with_tags_external_id_and_duration_issues_session_credentials_that_verify()
    {
        var org = new TestOrg();
        await using var emulator = await EmulatorServer.StartAsync(org.Options);
        var before = DateTimeOffset.UtcNow;

        var answer = await NodePeer.RunAsync("sts/chain.mjs", new
        {
            endpoint = emulator.BaseAddress,
            credentials = org.AliceCredentials,
            assumeRole = new
            {
                RoleArn = TestOrg.RoleArn("Developer"),
                RoleSessionName = "alice-laptop",
                ExternalId = TestOrg.ExternalId,
                DurationSeconds = 7200,
                Tags = new[] { new { Key = "team", Value = "engineering" }, new { Key = "cost-center", Value = "cc-42" } },
                TransitiveTagKeys = new[] { "team" },
            },
        });

        Assert.True(answer["ok"]!.GetValue<bool>(), answer.ToJsonString());
        Assert.Equal("arn:aws:sts::111122223333:assumed-role/Developer/alice-laptop", answer["assumedRoleUser"]!["Arn"]!.GetValue<string>());
        Assert.EndsWith(":alice-laptop", answer["assumedRoleUser"]!["AssumedRoleId"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("ASIA", answer["accessKeyIdPrefix"]!.GetValue<string>());
        Assert.True(answer["packedPolicySize"]!.GetValue<int>() > 0);
        var expiration = DateTimeOffset.Parse(answer["expiration"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expiration - before, TimeSpan.FromMinutes(119), TimeSpan.FromMinutes(121));
        Assert.Equal("arn:aws:sts::111122223333:assumed-role/Developer/alice-laptop", answer["callerIdentity"]!["Arn"]!.GetValue<string>());

        var calls = emulator.RequestLog.Snapshot().Select(e => (e.PrincipalArn, e.Operation, e.Outcome)).ToList();
        Assert.Equal(
            [
                ("arn:aws:iam::111122223333:user/engineering/alice", "AssumeRole", "Success"),
                ("arn:aws:sts::111122223333:assumed-role/Developer/alice-laptop", "GetCallerIdentity", "Success"),
            ],
            calls);
    }

    [Fact]
    public async Task AssumeRole_denied_by_trust_policy_is_AccessDenied()
    {
        var org = new TestOrg();
        await using var emulator = await EmulatorServer.StartAsync(org.Options);
        var carol = new Dictionary<string, string> { ["accessKeyId"] = org.CarolKeyId, ["secretAccessKey"] = org.CarolSecret };

        var answer = await NodePeer.RunAsync("sts/call.mjs", new
        {
            endpoint = emulator.BaseAddress,
            operation = "AssumeRole",
            credentials = carol,
            input = new { RoleArn = TestOrg.RoleArn("Developer"), RoleSessionName = "carol", ExternalId = TestOrg.ExternalId },
        });

        Assert.False(answer["ok"]!.GetValue<bool>());
        Assert.Equal("AccessDenied", answer["name"]!.GetValue<string>());
        Assert.Equal(403, answer["status"]!.GetValue<int>());
        Assert.Contains("arn:aws:iam::444455556666:user/carol is not authorized to perform: sts:AssumeRole", answer["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AssumeRoleWithWebIdentity_accepts_an_RS256_and_an_ES256_token_from_the_issuers_jwks()
    {
        await using var issuer = await TestOidcIssuer.StartAsync();
        var org = new TestOrg(issuer.Issuer);
        await using var emulator = await EmulatorServer.StartAsync(org.Options);

        foreach (var alg in new[] { "RS256", "ES256" })
        {
            var token = issuer.Mint(issuer.Claims(TestOrg.Audience, DateTimeOffset.UtcNow, subject: "alice@example.com"), alg);
            var answer = await NodePeer.RunAsync("sts/call.mjs", new
            {
                endpoint = emulator.BaseAddress,
                operation = "AssumeRoleWithWebIdentity",
                input = new { RoleArn = TestOrg.RoleArn("Federated"), RoleSessionName = "alice-" + alg, WebIdentityToken = token, DurationSeconds = 3600 },
            });

            Assert.True(answer["ok"]!.GetValue<bool>(), answer.ToJsonString());
            var output = answer["output"]!;
            Assert.Equal($"arn:aws:sts::111122223333:assumed-role/Federated/alice-{alg}", output["AssumedRoleUser"]!["Arn"]!.GetValue<string>());
            Assert.Equal("alice@example.com", output["SubjectFromWebIdentityToken"]!.GetValue<string>());
            Assert.Equal(TestOrg.Audience, output["Audience"]!.GetValue<string>());
            Assert.Equal(issuer.Issuer, output["Provider"]!.GetValue<string>());
            Assert.StartsWith("ASIA", output["Credentials"]!["AccessKeyId"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal(40, output["Credentials"]!["SecretAccessKey"]!["length"]!.GetValue<int>());
        }

        Assert.True(issuer.JwksRequests >= 1);
    }

    [Theory]
    [InlineData("wrong-audience", "InvalidIdentityToken", "Incorrect token audience")]
    [InlineData("wrong-issuer", "InvalidIdentityToken", "No OpenIDConnect provider found")]
    [InlineData("expired", "ExpiredTokenException", "Token expired")]
    [InlineData("forged", "InvalidIdentityToken", "could not be validated")]
    public async Task AssumeRoleWithWebIdentity_rejects_bad_tokens(string problem, string wireCode, string expectedMessage)
    {
        await using var issuer = await TestOidcIssuer.StartAsync();
        var org = new TestOrg(issuer.Issuer);
        await using var emulator = await EmulatorServer.StartAsync(org.Options);
        var now = DateTimeOffset.UtcNow;
        using var otherKey = System.Security.Cryptography.RSA.Create(2048);
        var token = problem switch
        {
            "wrong-audience" => issuer.Mint(issuer.Claims("someone-else", now)),
            "wrong-issuer" => issuer.Mint(issuer.Claims(TestOrg.Audience, now, issuer: "https://login.example.com")),
            "expired" => issuer.Mint(issuer.Claims(TestOrg.Audience, now.AddHours(-2))),
            _ => issuer.Mint(issuer.Claims(TestOrg.Audience, now), signWith: otherKey),
        };

        var answer = await NodePeer.RunAsync("sts/call.mjs", new
        {
            endpoint = emulator.BaseAddress,
            operation = "AssumeRoleWithWebIdentity",
            input = new { RoleArn = TestOrg.RoleArn("Federated"), RoleSessionName = "attempt", WebIdentityToken = token },
        });

        // The SDK maps the awsQuery code to its modeled exception class (InvalidIdentityToken -> InvalidIdentityTokenException).
        Assert.False(answer["ok"]!.GetValue<bool>(), answer.ToJsonString());
        Assert.Equal(wireCode.EndsWith("Exception", StringComparison.Ordinal) ? wireCode : wireCode + "Exception", answer["name"]!.GetValue<string>());
        Assert.Equal(400, answer["status"]!.GetValue<int>());
        Assert.Contains(expectedMessage, answer["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(wireCode, emulator.RequestLog.Snapshot().Single().Outcome);
    }
}
