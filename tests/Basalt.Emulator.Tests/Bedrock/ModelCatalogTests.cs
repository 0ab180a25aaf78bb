using Basalt.Emulator.Bedrock;

namespace Basalt.Emulator.Tests.Bedrock;

public sealed class ModelCatalogTests
{
    [Fact]
    public void Us_region_offers_us_and_global_profiles_but_not_other_geographies()
    {
        var catalog = new ModelCatalog(BedrockEmulatorOptions.Default with { Region = "us-west-2", AccountId = "111122223333" });
        var ids = catalog.Profiles.Select(p => p.Id).ToList();
        Assert.Contains("us.anthropic.claude-sonnet-4-5-20250929-v1:0", ids);
        Assert.Contains("global.anthropic.claude-sonnet-4-5-20250929-v1:0", ids);
        Assert.Contains("us.anthropic.claude-opus-4-1-20250805-v1:0", ids);
        Assert.DoesNotContain(ids, id => id.StartsWith("eu.", StringComparison.Ordinal) || id.StartsWith("apac.", StringComparison.Ordinal) || id.StartsWith("us-gov.", StringComparison.Ordinal));
        var profile = catalog.FindProfile("us.anthropic.claude-sonnet-4-5-20250929-v1:0")!;
        Assert.Equal("arn:aws:bedrock:us-west-2:111122223333:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0", profile.Arn);
        Assert.Contains("arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0", profile.ModelArns);
        Assert.Equal(InferenceProfile.SystemDefined, profile.Type);
    }

    [Fact]
    public void Eu_and_apac_regions_get_their_own_geography()
    {
        var eu = new ModelCatalog(BedrockEmulatorOptions.Default with { Region = "eu-central-1" });
        Assert.Contains(eu.Profiles, p => p.Id == "eu.anthropic.claude-haiku-4-5-20251001-v1:0");
        Assert.DoesNotContain(eu.Profiles, p => p.Id.StartsWith("us.", StringComparison.Ordinal));
        var tokyo = new ModelCatalog(BedrockEmulatorOptions.Default with { Region = "ap-northeast-1" });
        Assert.Contains(tokyo.Profiles, p => p.Id == "apac.anthropic.claude-sonnet-4-5-20250929-v1:0");
        Assert.Contains(tokyo.Profiles, p => p.Id == "jp.anthropic.claude-sonnet-4-5-20250929-v1:0");
    }

    [Fact]
    public void GovCloud_offers_only_us_gov_profiles_in_the_aws_us_gov_partition()
    {
        var catalog = new ModelCatalog(BedrockEmulatorOptions.Default with { Region = "us-gov-west-1", AccountId = "111122223333" });
        var profile = Assert.Single(catalog.Profiles);
        Assert.Equal("us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0", profile.Id);
        Assert.StartsWith("arn:aws-us-gov:bedrock:us-gov-west-1:111122223333:inference-profile/", profile.Arn, StringComparison.Ordinal);
        Assert.Null(catalog.Resolve("global.anthropic.claude-sonnet-4-5-20250929-v1:0").Model);
    }

    [Theory]
    [InlineData("us.anthropic.claude-sonnet-4-5-20250929-v1:0", "anthropic.claude-sonnet-4-5-20250929-v1:0")]
    [InlineData("global.anthropic.claude-haiku-4-5-20251001-v1:0", "anthropic.claude-haiku-4-5-20251001-v1:0")]
    [InlineData("arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-opus-4-1-20250805-v1:0", "anthropic.claude-opus-4-1-20250805-v1:0")]
    [InlineData("arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/team1", "anthropic.claude-sonnet-4-20250514-v1:0")]
    public void Profiles_and_profile_arns_resolve_to_their_model(string modelId, string expected)
    {
        var catalog = Catalog();
        Assert.Equal(expected, catalog.Resolve(modelId).Model?.Id);
    }

    [Theory]
    [InlineData("anthropic.claude-sonnet-4-5-20250929-v1:0", "Invocation of model ID anthropic.claude-sonnet-4-5-20250929-v1:0 with on-demand throughput isn\u2019t supported. Retry your request with the ID or ARN of an inference profile that contains this model.")]
    [InlineData("eu.anthropic.claude-sonnet-4-5-20250929-v1:0", "The provided model identifier is invalid.")]
    [InlineData("us.anthropic.claude-nonexistent-v1:0", "The provided model identifier is invalid.")]
    [InlineData("claude-sonnet-4-5", "The provided model identifier is invalid.")]
    [InlineData("arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/nope", "The provided model identifier is invalid.")]
    [InlineData("arn:aws:bedrock:us-west-2:111122223333:application-inference-profile/team1", "The provided model identifier is invalid.")]
    [InlineData("arn:aws:bedrock:us-east-1:999999999999:application-inference-profile/team1", "The provided model identifier is invalid.")]
    public void Unknown_or_unusable_ids_fail_with_bedrocks_validation_messages(string modelId, string message)
    {
        var error = Catalog().Resolve(modelId).Error;
        Assert.NotNull(error);
        Assert.Equal(400, error.Status);
        Assert.Equal("ValidationException", error.Code);
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void On_demand_models_accept_the_bare_foundation_id_and_its_arn()
    {
        var options = BedrockEmulatorOptions.Default with
        {
            Models = [BedrockModelDefinition.BuiltIn.Single(m => m.Id == "anthropic.claude-sonnet-4-5-20250929-v1:0") with { OnDemand = true }],
        };
        var catalog = new ModelCatalog(options);
        Assert.NotNull(catalog.Resolve("anthropic.claude-sonnet-4-5-20250929-v1:0").Model);
        Assert.NotNull(catalog.Resolve("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0").Model);
    }

    private static ModelCatalog Catalog() => new(BedrockEmulatorOptions.Default with
    {
        Region = "us-east-1",
        AccountId = "111122223333",
        ApplicationProfiles = [new ApplicationProfileDefinition("team1", "Team one", "us.anthropic.claude-sonnet-4-20250514-v1:0", null)],
    });
}
