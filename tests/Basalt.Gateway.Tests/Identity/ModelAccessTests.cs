using System.Text.Json.Nodes;
using Basalt.Gateway.Tests.TestSupport;
using Basalt.Identity.ApiKeys;

namespace Basalt.Gateway.Tests.Identity;

/// <summary>
/// Groups and a credential's own model list decide which models a caller may use (issue 9 item 1), on both inbound
/// formats and in the model listings; a refusal is a 403 that names the model and the way to get access, and
/// costs no upstream call.
/// </summary>
public sealed class ModelAccessTests(IdentityGateway gateway) : IClassFixture<IdentityGateway>
{
    private string LimitedToken()
    {
        var claims = gateway.Claims();
        claims["sub"] = "user-2";
        claims["groups"] = new JsonArray("limited");
        return gateway.Idp.Sign(claims);
    }

    [Fact]
    public async Task An_oidc_user_in_group_limited_reaches_haiku_and_is_refused_sonnet_with_a_403_naming_the_model_and_the_way_in()
    {
        var token = LimitedToken();

        var (ok, okBody) = await gateway.MessageAsync(token, null, "haiku");
        Assert.True(ok == 200, okBody.ToJsonString());

        var before = gateway.UpstreamCalls;
        var (status, body) = await gateway.MessageAsync(token, null, "sonnet");
        Assert.Equal(403, status);
        Assert.Equal("permission_error", (string?)body["error"]!["type"]);
        var message = (string)body["error"]!["message"]!;
        Assert.Contains("claude-sonnet-4-5", message, StringComparison.Ordinal);
        Assert.Contains("user-2", message, StringComparison.Ordinal);
        Assert.Contains("your groups: limited", message, StringComparison.Ordinal);
        Assert.Contains("groups that may use it: engineering", message, StringComparison.Ordinal);
        Assert.Equal(before, gateway.UpstreamCalls);
    }

    [Fact]
    public async Task The_model_lists_on_both_sides_show_only_what_the_groups_allow()
    {
        var (status, body) = await gateway.GetAsync("/v1/models", LimitedToken());
        Assert.Equal(200, status);
        var ids = JsonNode.Parse(body)!["data"]!.AsArray().Select(m => (string)m!["id"]!).ToList();
        Assert.Equal(["claude-haiku-4-5"], ids);

        var (bStatus, bBody) = await gateway.GetAsync("/inference-profiles", LimitedToken());
        Assert.Equal(200, bStatus);
        Assert.Contains(GatewayTestHost.HaikuProfile, bBody, StringComparison.Ordinal);
        Assert.DoesNotContain(GatewayTestHost.SonnetProfile, bBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_managed_key_limited_to_haiku_is_refused_sonnet_on_both_sides_though_its_owner_may_use_every_model()
    {
        // user-1 is in engineering (identity.members), which may use every model; the key itself allows only haiku.
        var (key, text) = await gateway.Keys.CreateAsync("ci", ApiKeyOwnerKind.User, "user-1", null, ["claude-haiku-4-5"], CancellationToken.None);

        var (ok, okBody) = await gateway.MessageAsync(null, text, "haiku");
        Assert.True(ok == 200, okBody.ToJsonString());
        var (listStatus, list) = await gateway.GetAsync("/v1/models", text);
        Assert.Equal(200, listStatus);
        Assert.Equal(["claude-haiku-4-5"], JsonNode.Parse(list)!["data"]!.AsArray().Select(m => (string)m!["id"]!));

        var before = gateway.UpstreamCalls;
        var (status, body) = await gateway.MessageAsync(null, text, "claude-sonnet-4-5");
        Assert.Equal(403, status);
        var message = (string)body["error"]!["message"]!;
        Assert.Contains("model claude-sonnet-4-5 is not among the models this credential (" + key.Prefix + ")", message, StringComparison.Ordinal);

        var (bedrock, bedrockBody, errorType) = await gateway.InvokeAsync(GatewayTestHost.SonnetProfile, text);
        Assert.Equal(403, bedrock);
        Assert.StartsWith("AccessDeniedException", errorType, StringComparison.Ordinal);
        Assert.Contains("claude-sonnet-4-5", bedrockBody, StringComparison.Ordinal);
        Assert.Equal(before, gateway.UpstreamCalls);

        var (haiku, haikuBody, _) = await gateway.InvokeAsync(GatewayTestHost.HaikuProfile, text);
        Assert.True(haiku == 200, haikuBody);
    }
}
