using Basalt.Bedrock.Models;
using System.Net;
using System.Text.Json.Nodes;

namespace Basalt.Emulator.Tests.Bedrock;

public sealed class BedrockControlPlaneTests
{
    [Fact]
    public async Task Inference_profiles_page_with_max_results_and_next_token_and_filter_by_type()
    {
        await using var host = await BedrockHost.StartAsync("""
            bedrock:
              applicationProfiles:
                - id: team1
                  name: Team one
                  source: us.anthropic.claude-sonnet-4-5-20250929-v1:0
            """);
        var all = await Json(host, "inference-profiles");
        var allIds = all["inferenceProfileSummaries"]!.AsArray().Select(p => (string?)p!["inferenceProfileId"]).ToList();
        Assert.Null(all["nextToken"]);
        Assert.Contains("team1", allIds);

        var paged = new List<string?>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Json(host, "inference-profiles?type=SYSTEM_DEFINED&maxResults=3" + (token is null ? string.Empty : "&nextToken=" + Uri.EscapeDataString(token)));
            var items = page["inferenceProfileSummaries"]!.AsArray();
            Assert.True(items.Count <= 3);
            paged.AddRange(items.Select(p => (string?)p!["inferenceProfileId"]));
            Assert.All(items, p => Assert.Equal("SYSTEM_DEFINED", (string?)p!["type"]));
            token = (string?)page["nextToken"];
            pages++;
        }
        while (token is not null);

        // Every us. and global. profile of the catalogue's current Bedrock models.
        Assert.Equal(ServedModels.SystemProfileCount("us-east-1"), paged.Count);
        Assert.Equal(ServedModels.Pages(paged.Count, 3), pages);
        Assert.Equal(allIds.Where(id => id != "team1"), paged);

        var app = await Json(host, "inference-profiles?type=APPLICATION");
        var profile = Assert.Single(app["inferenceProfileSummaries"]!.AsArray())!;
        Assert.Equal("arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/team1", (string?)profile["inferenceProfileArn"]);
        Assert.Equal("ACTIVE", (string?)profile["status"]);
        Assert.Equal("2025-01-01T00:00:00Z", (string?)profile["createdAt"]);

        // An application profile serves exactly what its source system profile serves: the Sonnet 4.5 foundation
        // model in each us. region.
        var source = all["inferenceProfileSummaries"]!.AsArray().Single(p => (string?)p!["inferenceProfileId"] == "us.anthropic.claude-sonnet-4-5-20250929-v1:0")!;
        var models = profile["models"]!.AsArray().Select(m => (string?)m!["modelArn"]).ToList();
        Assert.Equal(source["models"]!.AsArray().Select(m => (string?)m!["modelArn"]), models);
        Assert.Contains("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0", models);
        Assert.All(models, arn => Assert.Matches(@"^arn:aws:bedrock:us-[a-z]+-\d::foundation-model/anthropic\.claude-sonnet-4-5-20250929-v1:0$", arn));
    }

    [Fact]
    public async Task Bad_parameters_are_validation_errors()
    {
        await using var host = await BedrockHost.StartAsync();
        foreach (var query in new[] { "type=BOGUS", "maxResults=0", "maxResults=1001", "nextToken=garbage" })
        {
            using var response = await host.Client.GetAsync("inference-profiles?" + query);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.StartsWith("ValidationException", response.Headers.GetValues("x-amzn-ErrorType").Single(), StringComparison.Ordinal);
        }

        // A token from one listing does not continue another.
        var first = await Json(host, "inference-profiles?type=SYSTEM_DEFINED&maxResults=1");
        using var replay = await host.Client.GetAsync("inference-profiles?type=APPLICATION&nextToken=" + Uri.EscapeDataString((string)first["nextToken"]!));
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
    }

    [Fact]
    public async Task Get_inference_profile_accepts_id_or_encoded_arn_and_404s_unknown_ones()
    {
        await using var host = await BedrockHost.StartAsync();
        var byId = await Json(host, "inference-profiles/global.anthropic.claude-sonnet-4-5-20250929-v1:0");
        Assert.Equal("Global Anthropic Claude Sonnet 4.5", (string?)byId["inferenceProfileName"]);
        var arn = Uri.EscapeDataString("arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-haiku-4-5-20251001-v1:0");
        var byArn = await Json(host, "inference-profiles/" + arn);
        Assert.Equal("us.anthropic.claude-haiku-4-5-20251001-v1:0", (string?)byArn["inferenceProfileId"]);
        using var missing = await host.Client.GetAsync("inference-profiles/eu.anthropic.claude-haiku-4-5-20251001-v1:0");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.StartsWith("ResourceNotFoundException", missing.Headers.GetValues("x-amzn-ErrorType").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Foundation_models_list_and_filter_like_bedrock()
    {
        await using var host = await BedrockHost.StartAsync();
        var all = (await Json(host, "foundation-models"))["modelSummaries"]!.AsArray();
        var served = ModelCatalogue.Default.Models.Where(m => m.IsOnBedrock && !m.Retired).ToList();
        Assert.Equal(served.Select(m => m.FoundationModelId), all.Select(m => (string?)m!["modelId"]));
        var sonnet = all.Single(m => (string?)m!["modelId"] == "anthropic.claude-sonnet-4-5-20250929-v1:0")!;
        Assert.Equal("arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0", (string?)sonnet["modelArn"]);
        Assert.Equal("Anthropic", (string?)sonnet["providerName"]);
        Assert.Equal(["INFERENCE_PROFILE"], sonnet["inferenceTypesSupported"]!.AsArray().Select(x => (string?)x));
        Assert.Equal("ACTIVE", (string?)sonnet["modelLifecycle"]!["status"]);

        Assert.Equal(served.Count, (await Json(host, "foundation-models?byProvider=anthropic&byOutputModality=TEXT"))["modelSummaries"]!.AsArray().Count);
        Assert.Empty((await Json(host, "foundation-models?byProvider=meta"))["modelSummaries"]!.AsArray());
        Assert.Empty((await Json(host, "foundation-models?byInferenceType=ON_DEMAND"))["modelSummaries"]!.AsArray());
        Assert.Empty((await Json(host, "foundation-models?byOutputModality=IMAGE"))["modelSummaries"]!.AsArray());
        using var bad = await host.Client.GetAsync("foundation-models?byInferenceType=SOMETIMES");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        var details = await Json(host, "foundation-models/anthropic.claude-opus-4-1-20250805-v1:0");
        Assert.Equal("Claude Opus 4.1", (string?)details["modelDetails"]!["modelName"]);
    }

    [Fact]
    public async Task Control_plane_calls_are_authenticated_and_logged()
    {
        await using var host = await BedrockHost.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = host.BaseAddress };
        using var refused = await anonymous.GetAsync("inference-profiles?type=SYSTEM_DEFINED");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        await Json(host, "inference-profiles?type=SYSTEM_DEFINED");
        Assert.Equal(["MissingAuthenticationTokenException", "Success"], host.Log.Snapshot().Select(e => e.Outcome));
        Assert.Equal("ListInferenceProfiles", host.Log.Snapshot()[1].Operation);
    }

    private static async Task<JsonObject> Json(BedrockHost host, string path)
    {
        using var response = await host.Client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }
}
