using Basalt.Bedrock;

namespace Basalt.Tests.Bedrock;

public sealed class ClaudeModelDiscoveryTests
{
    private static BedrockFoundationModel Model(string id, string name, params string[] inference)
        => new(id, $"arn:aws:bedrock:us-west-2::foundation-model/{id}", name, "Anthropic", ["TEXT", "IMAGE"], ["TEXT"], true, inference, "ACTIVE");

    private static BedrockInferenceProfile Profile(string id, string? name = null, string type = "SYSTEM_DEFINED", string status = "ACTIVE", params string[] models)
        => new(id, name ?? id, $"arn:aws:bedrock:us-west-2:123456789012:inference-profile/{id}", type, status, null, models);

    [Fact]
    public void Claude_options_are_filtered_to_the_region_and_ordered_newest_first()
    {
        var models = new[]
        {
            Model("anthropic.claude-3-haiku-20240307-v1:0", "Claude 3 Haiku", "ON_DEMAND"),
            Model("anthropic.claude-sonnet-4-5-20250929-v1:0", "Claude Sonnet 4.5", "INFERENCE_PROFILE"),
            Model("anthropic.claude-haiku-4-5-20251001-v1:0", "Claude Haiku 4.5", "INFERENCE_PROFILE"),
            Model("anthropic.claude-opus-4-1-20250805-v1:0", "Claude Opus 4.1", "INFERENCE_PROFILE"),
            Model("anthropic.claude-3-5-sonnet-20240620-v1:0", "Claude 3.5 Sonnet", "ON_DEMAND", "INFERENCE_PROFILE"),
            new BedrockFoundationModel("anthropic.claude-v2:1", null, "Claude", "Anthropic", ["TEXT"], ["TEXT"], true, ["ON_DEMAND"], "LEGACY"),
            new BedrockFoundationModel("amazon.titan-text-express-v1", null, "Titan", "Amazon", ["TEXT"], ["TEXT"], true, ["ON_DEMAND"], "ACTIVE"),
        };
        var profiles = new[]
        {
            Profile("us.anthropic.claude-sonnet-4-5-20250929-v1:0", "US Claude Sonnet 4.5"),
            Profile("global.anthropic.claude-sonnet-4-5-20250929-v1:0", "Global Claude Sonnet 4.5"),
            Profile("eu.anthropic.claude-sonnet-4-5-20250929-v1:0", "EU Claude Sonnet 4.5"),
            Profile("us.anthropic.claude-haiku-4-5-20251001-v1:0"),
            Profile("us.anthropic.claude-opus-4-1-20250805-v1:0", status: "INACTIVE"),
            Profile("us.meta.llama3-2-90b-instruct-v1:0"),
            Profile("app-1", "Team Sonnet", "APPLICATION", "ACTIVE", "arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0"),
        };

        var options = ClaudeModelDiscovery.Rank(profiles, models, "us-west-2");

        Assert.Equal(
            [
                "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
                "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
                "arn:aws:bedrock:us-west-2:123456789012:inference-profile/app-1",
                "us.anthropic.claude-haiku-4-5-20251001-v1:0",
                "anthropic.claude-3-5-sonnet-20240620-v1:0",
                "anthropic.claude-3-haiku-20240307-v1:0",
            ],
            options.Select(o => o.Id));
        Assert.Equal(("sonnet", "4.5", "20250929", ClaudeModelRouting.Geographic, "US Claude Sonnet 4.5"), (options[0].Family, options[0].Version, options[0].ReleaseDate, options[0].Routing, options[0].DisplayName));
        Assert.Equal(ClaudeModelRouting.Application, options[2].Routing);
        Assert.Equal(("haiku", "3"), (options[5].Family, options[5].Version));
    }

    [Fact]
    public void In_GovCloud_only_us_gov_profiles_are_usable()
    {
        var profiles = new[] { Profile("us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0"), Profile("us.anthropic.claude-sonnet-4-5-20250929-v1:0"), Profile("global.anthropic.claude-sonnet-4-5-20250929-v1:0") };

        var options = ClaudeModelDiscovery.Rank(profiles, [], "us-gov-west-1");

        Assert.Equal(["us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0"], options.Select(o => o.Id));
    }
}
