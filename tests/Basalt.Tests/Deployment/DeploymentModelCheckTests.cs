using Basalt.Bedrock.Models;
using Basalt.Deployment;
using Basalt.Testing;

namespace Basalt.Tests.Deployment;

/// <summary>Deployment validation against the model catalogue (the file the wizard, emulator and report read too).</summary>
public sealed class DeploymentModelCheckTests
{
    private static readonly ModelCatalogue Catalogue = ModelCatalogue.Default;

    private static string File(string id, string region = "us-west-2", string scope = "cross-region", string extra = "") => $$"""
        version: 1
        name: test
        aws:
          region: {{region}}
          scope: {{scope}}
          accountId: "123456789012"
        auth:
          approach: bearer-token
          bearerToken: ${env:BEDROCK_API_KEY}
        models:
          main:
            id: {{id}}
        {{extra}}
        """;

    [Fact]
    public void Every_current_bedrock_model_of_the_catalogue_validates_through_each_profile_it_offers_in_a_usable_region()
    {
        var regions = new Dictionary<string, string> { ["us"] = "us-west-2", ["eu"] = "eu-central-1", ["apac"] = "ap-south-1", ["jp"] = "ap-northeast-1", ["au"] = "ap-southeast-2", ["global"] = "us-east-1", ["us-gov"] = "us-gov-west-1" };
        foreach (var model in Catalogue.Models.Where(m => m.IsOnBedrock && !m.Retired))
        {
            foreach (var prefix in model.ProfilePrefixes)
            {
                var result = DeploymentTestInput.Parse(File(model.ProfileId(prefix)!, regions[prefix], prefix == "global" ? "global" : "cross-region"));
                Assert.True(result.Success, $"{model.ProfileId(prefix)}: {string.Join("\n", result.Diagnostics)}");
                Assert.DoesNotContain(result.Diagnostics, d => d.Code.StartsWith("BSL702", StringComparison.Ordinal) && d.Code != DeploymentDiagnosticCodes.ModelScopeMismatch);
            }
        }
    }

    [Fact]
    public void A_catalogue_client_id_stands_for_its_foundation_id_and_the_scope_adds_the_prefix()
    {
        var model = Catalogue.ClaudeCodeDefault!;
        var file = DeploymentTestInput.ParseOk(File(model.ClientId));
        Assert.Equal(model.ProfileId("us"), file.Groups[0].Models[0].ResolvedId);
    }

    [Fact]
    public void A_typo_gets_the_intended_id_suggested()
    {
        var model = Catalogue.ClaudeCodeDefault!;
        var typo = model.FoundationModelId!.Replace("opus", "opsu", StringComparison.Ordinal);
        var d = Assert.Single(DeploymentTestInput.Parse(File(typo)).Diagnostics, d => d.IsError);
        Assert.Equal(DeploymentModelCheck.UnknownModel, d.Code);
        Assert.Equal("models.main.id", d.Key);
        Assert.Contains($"did you mean '{model.ProfileId("us")}'", d.Fix, StringComparison.Ordinal);

        // A dated id with a -v1:0 suffix for a model that has none still finds the model.
        var wrongSuffix = $"us.{model.FoundationModelId}-20260101-v1:0";
        var suffix = Assert.Single(DeploymentTestInput.Parse(File(wrongSuffix)).Diagnostics, d => d.IsError);
        Assert.Contains($"'{model.ProfileId("us")}'", suffix.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void A_retired_model_is_an_error_naming_the_newest_of_its_family_in_the_region()
    {
        var retired = Catalogue.Models.First(m => m.Retired && m.IsOnBedrock);
        var d = Assert.Single(DeploymentTestInput.Parse(File(retired.FoundationModelId!)).Diagnostics, d => d.IsError);
        Assert.Equal(DeploymentModelCheck.RetiredModel, d.Code);
        var newest = Catalogue.NewestInFamily(retired.Family, "us-west-2", "us")!;
        Assert.Contains($"use '{newest.ProfileId("us")}'", d.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void A_profile_the_model_is_not_offered_through_is_an_error()
    {
        var usOnly = Catalogue.Models.First(m => !m.Retired && m.IsOnBedrock && !m.ProfilePrefixes.Contains("global"));
        var d = Assert.Single(DeploymentTestInput.Parse(File(usOnly.FoundationModelId!, "us-east-1", "global")).Diagnostics, d => d.IsError);
        Assert.Equal(DeploymentModelCheck.ModelNotOffered, d.Code);
        Assert.Contains("global.", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Org_overrides_add_a_model_bedrock_shipped_after_this_release()
    {
        var template = Catalogue.ClaudeCodeDefault!;
        const string newId = "anthropic.claude-opus-org-preview";
        Assert.False(DeploymentTestInput.Parse(File(newId)).Success);
        var overrides = $$"""
            modelCatalogue:
              models:
                - clientId: claude-opus-org-preview
                  family: {{template.Family}}
                  version: "99"
                  displayName: Claude Opus Preview
                  foundationModelId: {{newId}}
                  profilePrefixes: [us]
                  mantleId: null
                  contextWindow: 1000000
                  supports1MContext: true
                  defaultMaxOutputTokens: 64000
                  maxOutputTokens: 128000
                  knowledgeCutoff: null
                  releaseDate: null
                  fallback: {{template.ClientId}}
                  retired: false
                  prices: { inputPerMTok: 4.5, outputPerMTok: null, cacheReadPerMTok: null, cacheWrite5mPerMTok: null, cacheWrite1hPerMTok: null, source: org contract }
            """;
        var file = DeploymentTestInput.ParseOk(File(newId, extra: overrides));
        Assert.Equal("us." + newId, file.Groups[0].Models[0].ResolvedId);
    }

    [Fact]
    public void A_wrong_override_names_the_section_and_the_field()
    {
        var result = DeploymentTestInput.Parse(File(Catalogue.ClaudeCodeDefault!.ClientId, extra: """
            modelCatalogue:
              models:
                - clientId: claude-whatever
                  maxOutputTokens: lots
            """));
        var d = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Equal(DeploymentModelCheck.CatalogueOverrideInvalid, d.Code);
        Assert.Contains("claude-whatever", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sync_file_makes_validate_warn_about_models_the_account_cannot_call()
    {
        using var dir = new TempDirectory("model-sync");
        var callable = Catalogue.ClaudeCodeDefault!;
        var access = new AccountModelAccess("123456789012", "us-west-2", DateTimeOffset.UnixEpoch, new HashSet<string> { callable.FoundationModelId! }, new HashSet<string> { callable.ProfileId("us")! });
        dir.Write("models.account.json", ModelCatalogue.AccountOverrideJson(access));
        var other = Catalogue.Find(callable.Fallback!)!;
        var yaml = $$"""
            version: 1
            name: test
            aws:
              region: us-west-2
              scope: cross-region
              accountId: "123456789012"
            auth:
              approach: bearer-token
              bearerToken: ${env:BEDROCK_API_KEY}
            models:
              main:
                id: {{callable.FoundationModelId}}
              other:
                id: {{other.FoundationModelId}}
            modelCatalogue:
              files: [models.account.json]
            """;
        var result = DeploymentTestInput.Parse(yaml, dir.Combine("basalt.yaml"), dir.Path);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        var warning = Assert.Single(result.Diagnostics, d => d.Code == DeploymentModelCheck.ModelNotInAccount);
        Assert.Contains(other.ProfileId("us")!, warning.Message, StringComparison.Ordinal);
    }
}
