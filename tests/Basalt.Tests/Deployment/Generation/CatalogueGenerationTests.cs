using System.Text.Json;
using Basalt.Bedrock.Models;
using Basalt.Deployment;
using Basalt.Deployment.Generation;
using Basalt.Deployment.Planning;

namespace Basalt.Tests.Deployment.Generation;

/// <summary>
/// Generation reads the same catalogue validation read: Basalt's shipped file plus the deployment's
/// <c>modelCatalogue:</c> overrides (issue 15). Claude Code's per-family model variables and Claude Desktop's
/// <c>inferenceModels</c> / <c>inferenceModelPricing</c> come from it.
/// </summary>
public sealed class CatalogueGenerationTests
{
    private const string OrgModel = "anthropic.claude-sonnet-org-preview";

    private static string File(string models, string extra = "", string policy = "") => $$"""
        version: 1
        name: test
        platforms: [linux]
        aws:
          region: us-west-2
          scope: cross-region
          accountId: "123456789012"
        auth:
          approach: bearer-token
          bearerToken: ${env:BEDROCK_API_KEY}
        models:
        {{models}}
        {{policy}}
        {{extra}}
        """;

    private const string OrgCatalogue = $$"""
        modelCatalogue:
          models:
            - clientId: claude-sonnet-org-preview
              family: sonnet
              version: "99"
              displayName: Claude Sonnet Org Preview
              foundationModelId: {{OrgModel}}
              profilePrefixes: [us]
              mantleId: null
              contextWindow: 1000000
              supports1MContext: true
              defaultMaxOutputTokens: 64000
              maxOutputTokens: 128000
              knowledgeCutoff: null
              releaseDate: null
              fallback: null
              retired: false
              prices: { inputPerMTok: 2.5, outputPerMTok: 12.5, cacheReadPerMTok: null, cacheWrite5mPerMTok: null, cacheWrite1hPerMTok: null, source: org contract }
        """;

    private static GroupPlan Plan(string yaml) => ManagedConfigPlanner.PlanGroup(DeploymentTestInput.ParseOk(yaml).Groups[0]);

    private static JsonElement InferenceModels(GroupPlan plan)
        => JsonDocument.Parse(plan.EntriesFor(DeploymentPlatform.Linux).Single(e => e.Key == "inferenceModels").Value).RootElement;

    private static Dictionary<string, string> ClaudeCodeEnv(GroupPlan plan)
    {
        var (json, _) = ClaudeCodeSettingsGenerator.Build(plan, DeploymentPlatform.Linux, null);
        return JsonDocument.Parse(json).RootElement.GetProperty("env").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
    }

    [Fact]
    public void A_model_known_only_from_the_deployments_overrides_gets_its_claude_code_family_variable_and_desktop_entry()
    {
        var plan = Plan(File($"  main:\n    id: {OrgModel}", OrgCatalogue));

        Assert.Equal($"us.{OrgModel}", ClaudeCodeEnv(plan)["ANTHROPIC_DEFAULT_SONNET_MODEL"]);
        var entry = Assert.Single(InferenceModels(plan).EnumerateArray());
        Assert.Equal($"us.{OrgModel}", entry.GetProperty("name").GetString());
        Assert.Equal("sonnet", entry.GetProperty("anthropicFamilyTier").GetString());
        Assert.True(entry.GetProperty("supports1m").GetBoolean());
    }

    [Fact]
    public void Without_the_override_the_same_id_is_refused_so_the_generation_above_used_the_deployments_catalogue()
    {
        Assert.False(DeploymentTestInput.Parse(File($"  main:\n    id: {OrgModel}")).Success);
    }

    [Fact]
    public void Settings_written_in_the_file_win_over_the_catalogue()
    {
        var model = ModelCatalogue.Default.Models.First(m => m.IsOnBedrock && !m.Retired && m.Supports1MContext && m.ProfilePrefixes.Contains("us"));
        var other = ModelCatalogue.Default.Families.First(f => f != model.Family);
        var plan = Plan(File($"  main:\n    id: {model.FoundationModelId}\n    tier: {other}\n    supports1m: false"));

        var entry = Assert.Single(InferenceModels(plan).EnumerateArray());
        Assert.Equal(other, entry.GetProperty("anthropicFamilyTier").GetString());
        Assert.False(entry.GetProperty("supports1m").GetBoolean());
    }

    [Fact]
    public void A_model_without_1m_gets_its_family_but_no_supports1m()
    {
        var model = ModelCatalogue.Default.Models.First(m => m.IsOnBedrock && !m.Retired && !m.Supports1MContext && m.ProfilePrefixes.Contains("us"));
        var entry = Assert.Single(InferenceModels(Plan(File($"  main:\n    id: {model.FoundationModelId}"))).EnumerateArray());

        Assert.Equal(model.Family, entry.GetProperty("anthropicFamilyTier").GetString());
        Assert.False(entry.TryGetProperty("supports1m", out _));
    }

    [Fact]
    public void Pricing_turned_on_lists_the_catalogue_prices_it_knows_and_leaves_unknown_ones_out()
    {
        var unpriced = ModelCatalogue.Default.Models.First(m => m.IsOnBedrock && !m.Retired && m.ProfilePrefixes.Contains("us")
            && m.Prices.InputPerMTok is null && m.Prices.OutputPerMTok is null && m.Prices.CacheReadPerMTok is null && m.Prices.CacheWrite5mPerMTok is null);
        var yaml = File($"  main:\n    id: {OrgModel}\n  other:\n    id: {unpriced.FoundationModelId}", OrgCatalogue, "policy:\n  inferenceModelPricingEnabled: true");

        var pricing = Plan(yaml).EntriesFor(DeploymentPlatform.Linux).Single(e => e.Key == "inferenceModelPricing");

        Assert.Equal($$"""[{"name":"us.{{OrgModel}}","inputPerMtok":2.5,"outputPerMtok":12.5}]""", pricing.Value);
    }

    [Fact]
    public void Pricing_is_not_written_unless_turned_on_or_when_the_file_writes_its_own_list()
    {
        var off = Plan(File($"  main:\n    id: {OrgModel}", OrgCatalogue));
        var own = Plan(File($"  main:\n    id: {OrgModel}", OrgCatalogue,
            "policy:\n  inferenceModelPricingEnabled: true\n  inferenceModelPricing: '[{\"name\":\"x\",\"inputPerMtok\":1}]'"));

        Assert.DoesNotContain(off.EntriesFor(DeploymentPlatform.Linux), e => e.Key == "inferenceModelPricing");
        Assert.Equal("""[{"name":"x","inputPerMtok":1}]""", Assert.Single(own.EntriesFor(DeploymentPlatform.Linux), e => e.Key == "inferenceModelPricing").Value);
    }
}
