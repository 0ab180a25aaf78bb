using Basalt.Gateway.Tests.TestSupport;
using Basalt.Gateway.Upstream;
using Basalt.Identity;

namespace Basalt.Gateway.Tests.Upstream;

/// <summary>
/// Per-user AWS sessions (issue 8 item 7, "Done when"): each Bedrock call appears in the emulator's request log
/// (its CloudTrail) as the assumed-role session of the person who asked; sessions are cached per user.
/// </summary>
public sealed class UserSessionTests
{
    [Fact]
    public async Task Each_bedrock_call_is_made_by_the_callers_own_assumed_role_session_and_sessions_are_cached()
    {
        await using var host = await GatewayTestHost.StartAsync(new GatewayTestOptions { AssumeRole = true });

        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => host.StreamAsync($"alice {i}")));
        using (var bob = host.Client(host.BobKey))
        {
            var body = "{\"model\":\"haiku\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"bob here\"}]}";
            using var response = await bob.PostAsync("/v1/messages", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        var log = host.Emulator.RequestLog.Snapshot();
        var invokes = log.Where(e => e.Operation is "InvokeModel" or "InvokeModelWithResponseStream" or "CountTokens").ToList();
        Assert.Equal(5, invokes.Count);
        Assert.Equal(4, invokes.Count(e => e.PrincipalArn == "arn:aws:sts::111122223333:assumed-role/BedrockUser/alice"));
        Assert.Equal(1, invokes.Count(e => e.PrincipalArn == "arn:aws:sts::111122223333:assumed-role/BedrockUser/bob"));
        // One AssumeRole per user, made by the gateway's own identity, despite four concurrent requests from alice.
        var assumes = log.Where(e => e.Operation == "AssumeRole").ToList();
        Assert.Equal(2, assumes.Count);
        Assert.All(assumes, e => Assert.Equal("arn:aws:iam::111122223333:user/gateway", e.PrincipalArn));
        Assert.Equal(2, host.Gateway.Handler.AssumeRoleCalls("region0"));
    }

    [Theory]
    [InlineData("alice", "alice")]
    [InlineData("user@example.com", "user@example.com")]
    [InlineData("CN=Bob Smith/OU=x", "CN=Bob-Smith-OU=x")]
    [InlineData("é", "--")]
    public void Session_names_are_the_sanitized_user_id(string userId, string expected)
        => Assert.Equal(expected, UserSessionCache.SessionName(userId));

    [Fact]
    public void Session_tags_carry_user_groups_and_cost_centre()
    {
        var tags = UserSessionCache.Tags(new Principal("alice", "Alice", null, ["eng", "ml"], AuthenticationMethod.ConfiguredApiKey, "k1", "cc-42"));

        Assert.Equal(["basalt:user=alice", "basalt:groups=eng:ml", "basalt:cost-centre=cc-42"], tags.Select(t => $"{t.Key}={t.Value}"));
    }
}
