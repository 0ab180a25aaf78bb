using System.Net;
using System.Text.Json.Nodes;
using Basalt.Bedrock.Models;
using Basalt.Emulator.Tests.TestSupport;

namespace Basalt.Emulator.Tests.Bedrock;

/// <summary>The emulator serves Basalt's model catalogue (the same file the wizard, validator and report read).</summary>
public sealed class CatalogueServingTests
{
    [Fact]
    public async Task Every_us_profile_of_a_current_catalogue_model_answers_a_one_token_probe()
    {
        // Claude Code's start-up probe (models.md): max_tokens 1 on the us. profile, walking its fallbacks.
        await using var host = await BedrockHost.StartAsync();
        foreach (var model in ServedModels.All.Where(m => m.ProfilePrefixes.Contains("us")))
        {
            using var response = await host.Client.PostAsync($"model/{Uri.EscapeDataString(model.ProfileId("us")!)}/invoke", BedrockHost.Json(BedrockHost.Body("probe", maxTokens: 1)));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{model.ClientId}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        Assert.DoesNotContain(host.Log.Snapshot(), e => e.StatusCode != 200);
    }

    [Fact]
    public async Task Claude_code_default_model_and_its_whole_fallback_chain_are_served()
    {
        await using var host = await BedrockHost.StartAsync();
        var profiles = await ListAsync(host, "inference-profiles?type=SYSTEM_DEFINED", "inferenceProfileSummaries", "inferenceProfileId");
        for (var model = ModelCatalogue.Default.ClaudeCodeDefault; model is not null; model = model.Fallback is null ? null : ModelCatalogue.Default.Find(model.Fallback))
        {
            Assert.Contains(model.ProfileId("us"), profiles);
        }
    }

    [Fact]
    public async Task Output_limit_is_each_models_own_maximum()
    {
        await using var host = await BedrockHost.StartAsync();
        foreach (var model in ServedModels.All.DistinctBy(m => m.MaxOutputTokens))
        {
            var path = $"model/{Uri.EscapeDataString(model.ProfileId("us")!)}/invoke";
            using var atLimit = await host.Client.PostAsync(path, BedrockHost.Json(BedrockHost.Body("hi", maxTokens: model.MaxOutputTokens)));
            Assert.Equal(HttpStatusCode.OK, atLimit.StatusCode);
            using var over = await host.Client.PostAsync(path, BedrockHost.Json(BedrockHost.Body("hi", maxTokens: model.MaxOutputTokens + 1)));
            Assert.Equal(HttpStatusCode.BadRequest, over.StatusCode);
            Assert.Contains($"> {model.MaxOutputTokens}, which is the maximum allowed number of output tokens", await MessageAsync(over), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_prompt_longer_than_the_context_window_gets_prompt_is_too_long()
    {
        var model = ServedModels.All.First(m => m.ContextWindow is not null);
        await using var host = await BedrockHost.StartAsync($$"""
            bedrock:
              models:
                - id: {{model.ClientId}}
                  contextWindow: 50
            """);
        var path = $"model/{Uri.EscapeDataString(model.ProfileId("us")!)}/invoke";
        using var fits = await host.Client.PostAsync(path, BedrockHost.Json(BedrockHost.Body("short prompt")));
        Assert.Equal(HttpStatusCode.OK, fits.StatusCode);
        using var tooLong = await host.Client.PostAsync(path, BedrockHost.Json(BedrockHost.Body(new string('x', 4000))));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        var message = await MessageAsync(tooLong);
        Assert.Matches(@"^prompt is too long: \d+ tokens > 50 maximum$", message);
    }

    [Fact]
    public void Catalogue_client_id_in_bedrock_models_takes_the_catalogue_limits()
    {
        var model = ModelCatalogue.Default.ClaudeCodeDefault!;
        var options = BedrockYamlTestData.Bedrock($$"""
            bedrock:
              models:
                - id: {{model.ClientId}}
            """, out var diagnostics);
        Assert.Empty(diagnostics);
        var served = Assert.Single(options.Models);
        Assert.Equal((model.FoundationModelId, model.DisplayName, model.MaxOutputTokens, model.ContextWindow), (served.Id, served.Name, served.MaxOutputTokens, served.ContextWindow));
        Assert.Equal(model.ProfilePrefixes, served.Geographies);
    }

    [Fact]
    public async Task Models_disabled_for_an_account_are_not_listed_and_refused_for_that_account_only()
    {
        var disabled = ServedModels.All.Where(m => m.ProfilePrefixes.Contains("us")).Take(2).ToList();
        await using var host = await BedrockHost.StartAsync($$"""
            bedrock:
              disabledModels:
                "{{TestOrg.Account}}": [{{disabled[0].ClientId}}, {{disabled[1].ProfileId("us")}}]
            """);
        var models = await ListAsync(host, "foundation-models", "modelSummaries", "modelId");
        Assert.Equal(ServedModels.All.Count - 2, models.Count);
        Assert.DoesNotContain(disabled[0].FoundationModelId, models);
        Assert.DoesNotContain(disabled[1].FoundationModelId, models);
        var profiles = await ListAsync(host, "inference-profiles", "inferenceProfileSummaries", "inferenceProfileId");
        Assert.DoesNotContain(profiles, p => p!.EndsWith(disabled[0].FoundationModelId!, StringComparison.Ordinal));

        using var refused = await host.Client.PostAsync($"model/{Uri.EscapeDataString(disabled[1].ProfileId("us")!)}/invoke", BedrockHost.Json(BedrockHost.Body("hi")));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("You don't have access to the model", await MessageAsync(refused), StringComparison.Ordinal);
    }

    [Fact]
    public void Disabled_models_naming_an_unknown_model_or_a_bad_account_are_errors()
    {
        BedrockYamlTestData.Bedrock("""
            bedrock:
              disabledModels:
                "12345": [claude-no-such-model]
                "111122223333": [claude-no-such-model]
            """, out var diagnostics);
        Assert.Contains(diagnostics, d => d.Code == "EMU2030" && d.IsError);
        Assert.Contains(diagnostics, d => d.Code == "EMU2031" && d.Message.Contains("claude-no-such-model", StringComparison.Ordinal));
    }

    private static async Task<string?> MessageAsync(HttpResponseMessage response)
        => (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["message"];

    private static async Task<List<string?>> ListAsync(BedrockHost host, string path, string array, string key)
    {
        using var response = await host.Client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonNode.Parse(text)![array]!.AsArray().Select(p => (string?)p![key]).ToList();
    }
}
