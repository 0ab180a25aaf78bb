using Basalt.ManagedConfig;

namespace Basalt.Tests.ManagedConfig;

public sealed class KeyCatalogueTests
{
    [Fact]
    public void Names_are_unique_and_found_case_sensitively()
    {
        Assert.Equal(KeyCatalogue.All.Count, KeyCatalogue.All.Select(k => k.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.NotNull(KeyCatalogue.Find("inferenceProvider"));
        Assert.Null(KeyCatalogue.Find("InferenceProvider"));
    }

    [Theory]
    [InlineData("inferenceProvider")]
    [InlineData("inferenceBedrockSsoAccountId")]
    [InlineData("inferenceIdpOidc")]
    [InlineData("inferenceFoundryAuthFlow")]
    [InlineData("inferenceVertexWorkforceAuthFlow")]
    [InlineData("inferenceAnthropicApiKey")]
    [InlineData("managedMcpServers")]
    [InlineData("otlpContentCapture")]
    [InlineData("bootstrapOidc")]
    [InlineData("inferenceTokenWindowHours")]
    [InlineData("banner")]
    [InlineData("autoUpdaterEnforcementHours")]
    [InlineData("egressProxyPacUrl")]
    [InlineData("configRecheckIntervalMinutes")]
    public void Every_documented_area_is_covered(string key) => Assert.NotNull(KeyCatalogue.Find(key));

    [Fact]
    public void Deprecations_point_at_existing_replacements_with_the_october_cutoff()
    {
        var deprecated = KeyCatalogue.All.Where(k => k.DeprecationCutoff is not null).ToList();
        Assert.Contains(deprecated, k => k.Name == "inferenceGatewayHeaders");
        Assert.Contains(deprecated, k => k.Name == "isDxtEnabled");
        Assert.Contains(deprecated, k => k.Name == "enduserAttribution");
        foreach (var k in deprecated)
        {
            Assert.Equal(new DateTimeOffset(2026, 10, 7, 19, 0, 0, TimeSpan.Zero), k.DeprecationCutoff!.Value.ToUniversalTime());
            if (k.Replacement is not null)
            {
                var replacement = KeyCatalogue.Find(k.Replacement);
                Assert.NotNull(replacement);
                Assert.Equal(k.Name, replacement!.RenamedFrom);
            }
        }
    }

    [Fact]
    public void Secrets_and_json_keys_are_marked()
    {
        foreach (var secret in new[] { "inferenceBedrockBearerToken", "inferenceGatewayApiKey", "inferenceFoundryApiKey", "inferenceAnthropicApiKey", "inferenceVertexOAuthClientSecret" })
        {
            Assert.True(KeyCatalogue.Find(secret)!.IsSecret, secret);
        }

        Assert.False(KeyCatalogue.Find("inferenceBedrockProfile")!.IsSecret);
        Assert.True(KeyCatalogue.Find("inferenceModels")!.IsJson);
        Assert.True(KeyCatalogue.Find("inferenceGatewayOidc")!.IsJson);
        Assert.False(KeyCatalogue.Find("inferenceBedrockRegion")!.IsJson);
    }

    [Fact]
    public void Enums_ranges_and_versions_match_the_spec()
    {
        Assert.Equal(["flex", "priority"], KeyCatalogue.Find("inferenceBedrockServiceTier")!.EnumValues);
        var timeout = KeyCatalogue.Find("inferenceCredentialHelperTimeoutSec")!;
        Assert.Equal((1d, 600d), (timeout.Min!.Value, timeout.Max!.Value));
        Assert.Equal(AppVersion.Parse("1.8089.0"), timeout.Since);
        Assert.Equal(AppVersion.Parse("1.6259.0"), KeyCatalogue.Find("inferenceBedrockSsoStartUrl")!.Since);
        Assert.Equal(AppVersion.Parse("2.7032.0"), KeyCatalogue.Find("inferenceIdpOidc")!.Since);
        Assert.Equal(AppVersion.Baseline, KeyCatalogue.Find("inferenceBedrockRegion")!.Since);
        Assert.Equal(KeyAvailability.Mdm, KeyCatalogue.Find("bootstrapUrl")!.Availability);
    }

    [Fact]
    public void Provider_filter_keeps_own_and_common_keys()
    {
        var bedrock = KeyCatalogue.ForProvider(InferenceProvider.Bedrock).Select(k => k.Name).ToList();
        Assert.Contains("inferenceBedrockProfile", bedrock);
        Assert.Contains("inferenceModels", bedrock);
        Assert.DoesNotContain("inferenceVertexProjectId", bedrock);
        var mantle = KeyCatalogue.ForProvider(InferenceProvider.Mantle).Select(k => k.Name).ToList();
        Assert.Contains("inferenceBedrockBearerToken", mantle);
        Assert.DoesNotContain("inferenceBedrockProfile", mantle);
    }

    [Theory]
    [InlineData("inferenceBedrockRegoin", "inferenceBedrockRegion")]
    [InlineData("inferenceProvder", "inferenceProvider")]
    [InlineData("inferenceModel", "inferenceModels")]
    [InlineData("InferenceProvider", "inferenceProvider")]
    [InlineData("disableAutoUpdate", "disableAutoUpdates")]
    public void Misspelled_keys_suggest_the_nearest_key(string typo, string expected) => Assert.Equal(expected, KeySuggester.Suggest(typo));

    [Fact]
    public void Unrelated_names_get_no_suggestion() => Assert.Null(KeySuggester.Suggest("somethingCompletelyDifferent"));

    [Fact]
    public void Transposition_costs_one_edit() => Assert.Equal(1, KeySuggester.Distance("regoin", "region"));
}
