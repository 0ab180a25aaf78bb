using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Basalt.Bedrock.Models;
using Basalt.Testing;
using Json.Schema;

namespace Basalt.Tests.Bedrock.Models;

public sealed class ModelCatalogueTests
{
    private static readonly ModelCatalogue Catalogue = ModelCatalogue.Default;

    // Built once: the schema registry refuses a second registration of the same $id.
    private static readonly Lazy<JsonSchema> LazySchema = new(() => JsonSchema.FromText(ModelCatalogue.ReadResource(ModelCatalogue.SchemaResourceName)));

    private static JsonSchema Schema => LazySchema.Value;

    private static string ShippedJson => ModelCatalogue.ReadResource(ModelCatalogue.ResourceName);

    [Fact]
    public void Shipped_catalogue_matches_its_json_schema()
    {
        var result = Schema.Evaluate(JsonDocument.Parse(ShippedJson).RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(result.IsValid, string.Join("\n", (result.Details ?? []).Where(d => d.Errors is { Count: > 0 }).Select(d => $"{d.InstanceLocation}: {string.Join("; ", d.Errors!.Values)}")));
    }

    [Fact]
    public void Embedded_catalogue_is_the_file_in_the_source_tree()
    {
        var onDisk = File.ReadAllText(Path.Combine(RepoPaths.Root, "src", "Basalt", "Bedrock", "Models", "claude-models.json"));
        Assert.Equal(onDisk, ShippedJson);
    }

    [Theory]
    [InlineData("retired", "\"yes\"")]
    [InlineData("maxOutputTokens", "-1")]
    [InlineData("colour", "\"blue\"")]
    public void Schema_rejects_a_wrong_model_entry(string key, string value)
    {
        var document = JsonNode.Parse(ShippedJson)!;
        document["models"]![0]![key] = JsonNode.Parse(value);
        Assert.False(Schema.Evaluate(JsonDocument.Parse(document.ToJsonString()).RootElement).IsValid);
    }

    /// <summary>Every row of models.md (the client's table, copied into TestData) is in the catalogue with the same facts.</summary>
    [Fact]
    public void Every_model_of_the_client_table_is_in_the_catalogue_with_its_facts()
    {
        var rows = File.ReadAllLines(Path.Combine(RepoPaths.Root, "tests", "Basalt.Tests", "Bedrock", "Models", "TestData", "models.md"))
            .Where(l => l.StartsWith("| claude-", StringComparison.Ordinal))
            .Select(l => l.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray())
            .ToList();
        Assert.Equal(24, rows.Count);
        Assert.Equal(rows.Count, Catalogue.Models.Count);
        foreach (var c in rows)
        {
            var model = Catalogue.Find(c[0]);
            Assert.NotNull(model);
            Assert.Equal(c[0], model.ClientId);
            Assert.Equal(c[1], model.Family);
            Assert.Equal("Claude " + c[2], model.DisplayName);
            if (c[3].StartsWith("us.", StringComparison.Ordinal))
            {
                Assert.Equal(c[3]["us.".Length..], model.FoundationModelId);
                Assert.Contains("us", model.ProfilePrefixes);
                Assert.Same(model, Catalogue.Find(c[3]));
            }
            else
            {
                Assert.Null(model.FoundationModelId);
                Assert.Empty(model.ProfilePrefixes);
            }

            Assert.Equal(c[4] == "–" ? null : c[4], model.MantleId);
            Assert.Equal(c[5] switch { "–" => null, "1M" => 1_000_000, _ => int.Parse(c[5].TrimEnd('k'), CultureInfo.InvariantCulture) * 1000 }, model.ContextWindow);
            Assert.Equal(c[5] == "1M", model.Supports1MContext);
            var output = c[6].Split('/');
            Assert.Equal(int.Parse(output[0], CultureInfo.InvariantCulture), model.DefaultMaxOutputTokens);
            Assert.Equal(int.Parse(output[1], CultureInfo.InvariantCulture), model.MaxOutputTokens);
            Assert.Equal(c[7], model.PriceCode);
            AssertPricesFollowCode(c[7], model.Prices);
            Assert.Equal(c[8] == "–" ? null : c[8], model.Fallback);
            Assert.Equal(c[9] == "–" ? null : DateTime.ParseExact(c[9], "MMMM yyyy", CultureInfo.InvariantCulture).ToString("yyyy-MM", CultureInfo.InvariantCulture), model.KnowledgeCutoff);
        }
    }

    private static void AssertPricesFollowCode(string code, ModelPrices prices)
    {
        // Cache-write prices are not in the client: unknown, never guessed (models.md).
        Assert.Null(prices.CacheWrite5mPerMTok);
        Assert.Null(prices.CacheWrite1hPerMTok);
        Assert.False(string.IsNullOrEmpty(prices.Source));
        var parts = code.Split('_');
        if (parts[0] != "tier")
        {
            Assert.Equal(ModelPrices.Unknown with { Source = prices.Source }, prices);
            return;
        }

        Assert.Equal(decimal.Parse(parts[1], CultureInfo.InvariantCulture), prices.InputPerMTok);
        Assert.Equal(decimal.Parse(parts[2], CultureInfo.InvariantCulture), prices.OutputPerMTok);
        Assert.Equal(parts.Length > 3 ? decimal.Parse($"{parts[5]}.{parts[6]}", CultureInfo.InvariantCulture) : null, prices.CacheReadPerMTok);
    }

    [Fact]
    public void Find_knows_every_id_form_of_a_model()
    {
        var model = Catalogue.ClaudeCodeDefault!;
        var foundation = model.FoundationModelId!;
        Assert.Same(model, Catalogue.Find(model.ClientId));
        Assert.Same(model, Catalogue.Find(foundation));
        foreach (var prefix in model.ProfilePrefixes)
        {
            Assert.Same(model, Catalogue.Find($"{prefix}.{foundation}"));
        }

        Assert.Same(model, Catalogue.Find(model.MantleId!));
        Assert.Same(model, Catalogue.Find($"arn:aws:bedrock:us-east-1::foundation-model/{foundation}"));
        Assert.Same(model, Catalogue.Find($"arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.{foundation}"));
        Assert.Same(model, Catalogue.Find(model.ClientId.ToUpperInvariant()));

        var dated = Catalogue.Models.First(m => m.FoundationModelId?.EndsWith(":0", StringComparison.Ordinal) == true && !m.Retired);
        Assert.Same(dated, Catalogue.Find(Uri.EscapeDataString("us." + dated.FoundationModelId)));
        // The dated Anthropic API name (the 'model' field of Bedrock's answers) names the model too.
        var apiName = dated.FoundationModelId!["anthropic.".Length..dated.FoundationModelId!.LastIndexOf("-v", StringComparison.Ordinal)];
        Assert.Same(dated, Catalogue.Find(apiName));

        Assert.Null(Catalogue.Find(model.ClientId + "-typo"));
        Assert.Null(Catalogue.Find(""));
    }

    [Fact]
    public void Newest_in_family_is_the_highest_version_that_is_not_retired_and_offered_where_asked()
    {
        foreach (var family in Catalogue.Families)
        {
            var newest = Catalogue.NewestInFamily(family);
            Assert.NotNull(newest);
            Assert.All(Catalogue.InFamily(family).Where(m => !m.Retired), m => Assert.True(m.VersionNumber <= newest.VersionNumber));
        }

        // The client's default is the newest Opus (models.md).
        Assert.Same(Catalogue.ClaudeCodeDefault, Catalogue.NewestInFamily("opus", "us-west-2"));
        // GovCloud: only models with a us-gov profile qualify.
        var gov = Catalogue.NewestInFamily("sonnet", "us-gov-west-1");
        Assert.NotNull(gov);
        Assert.Contains("us-gov", gov.ProfilePrefixes);
        Assert.Equal(["aws", "aws-us-gov"], gov.Partitions);
        // Models not on Bedrock are never offered in a region.
        Assert.All(Catalogue.Models.Where(m => !m.IsOnBedrock), m => Assert.Null(Catalogue.NewestInFamily(m.Family, "us-east-1")));
        Assert.Null(Catalogue.NewestInFamily("no-such-family"));
    }

    [Fact]
    public void Fallbacks_walk_down_to_an_older_model_of_the_catalogue()
    {
        foreach (var model in Catalogue.Models.Where(m => m.Fallback is not null))
        {
            var fallback = Catalogue.Find(model.Fallback!);
            Assert.NotNull(fallback);
            Assert.True(fallback.VersionNumber <= model.VersionNumber || fallback.Family != model.Family, $"{model.ClientId} falls back to {fallback.ClientId}");
        }
    }

    [Fact]
    public void Beta_rules_follow_gateway_section_1_4_and_cite_their_source()
    {
        var model = Catalogue.NewestInFamily("sonnet")!;
        var map = Catalogue.BetaRule(model, "advanced-tool-use-2025-11-20");
        Assert.Equal(FeatureAction.Map, map.Action);
        Assert.Equal("tool-search-tool-2025-10-19", map.MapTo);
        Assert.Contains("§1.4", map.Source, StringComparison.Ordinal);
        foreach (var rejected in new[] { "oauth-2025-04-20", "prompt-caching-scope-2026-01-05", "fast-mode-2026-02-01", "redact-thinking-2026-02-12", "mcp-servers-2025-12-04", "extended-cache-ttl-2025-04-11" })
        {
            Assert.Equal(FeatureAction.Strip, Catalogue.BetaRule(model, rejected).Action);
        }

        Assert.Equal(FeatureAction.Pass, Catalogue.BetaRule(model, "interleaved-thinking-2025-05-14").Action);
        Assert.Equal(FeatureAction.Pass, Catalogue.BetaRule(model, "some-future-beta-2027-01-01").Action);
        Assert.All(Catalogue.BetaRules.Concat(Catalogue.FieldRules).Concat(Catalogue.Models.SelectMany(m => m.BetaRules.Concat(m.FieldRules))),
            r => Assert.Matches(@"\.md §\d", r.Source));
    }

    [Fact]
    public void Per_model_rows_win_over_catalogue_rows()
    {
        // Opus 4.7 took only interleaved-thinking at launch (gateway.md §1.4): its own '*' row strips the rest.
        var opus47 = Catalogue.Models.Single(m => m.BetaRules.Any(r => r.Name == FeatureRule.Wildcard));
        Assert.Equal(FeatureAction.Strip, Catalogue.BetaRule(opus47, "tool-search-tool-2025-10-19").Action);
        Assert.Equal(FeatureAction.Pass, Catalogue.BetaRule(opus47, "interleaved-thinking-2025-05-14").Action);

        // The client sends output_config and adaptive thinking to its default model on Bedrock (§1.0 capture).
        var main = Catalogue.ClaudeCodeDefault!;
        var older = Catalogue.Find(main.Fallback!)!;
        Assert.Equal(FeatureAction.Pass, Catalogue.FieldRule(main, "output_config").Action);
        Assert.Equal(FeatureAction.Strip, Catalogue.FieldRule(older, "output_config").Action);
        Assert.Equal(FeatureAction.Pass, Catalogue.FieldRule(main, "thinking.type=adaptive").Action);
        Assert.Equal(FeatureAction.Map, Catalogue.FieldRule(older, "thinking.type=adaptive").Action);
        foreach (var field in new[] { "context_management", "tools[].strict", "tools[].eager_input_streaming" })
        {
            Assert.Equal(FeatureAction.Strip, Catalogue.FieldRule(older, field).Action);
        }

        Assert.Equal(FeatureAction.Pass, Catalogue.FieldRule(older, "messages").Action);
    }

    [Fact]
    public void Overrides_correct_one_field_add_a_model_and_replace_a_rule()
    {
        var target = Catalogue.NewestInFamily("haiku")!;
        var added = JsonNode.Parse(Catalogue.ModelJson(target))!.AsObject();
        added["clientId"] = "claude-haiku-org-preview";
        added["version"] = "99";
        added["foundationModelId"] = "anthropic.claude-haiku-org-preview";
        added["mantleId"] = null;
        var overrides = new JsonObject
        {
            ["models"] = new JsonArray(
                new JsonObject { ["clientId"] = target.ClientId, ["prices"] = new JsonObject { ["inputPerMTok"] = 1.25m, ["outputPerMTok"] = 6.5m, ["cacheReadPerMTok"] = null, ["cacheWrite5mPerMTok"] = null, ["cacheWrite1hPerMTok"] = null, ["source"] = "org contract" } },
                added),
            ["betaRules"] = new JsonArray(new JsonObject { ["name"] = "oauth-2025-04-20", ["action"] = "reject", ["source"] = "org policy, gateway.md §1.4" }),
        };

        var merged = Catalogue.WithOverrides(overrides, "basalt.yaml modelCatalogue");
        Assert.Equal(1.25m, merged.Find(target.ClientId)!.Prices.InputPerMTok);
        Assert.Equal(target.MaxOutputTokens, merged.Find(target.ClientId)!.MaxOutputTokens);
        Assert.Equal("claude-haiku-org-preview", merged.NewestInFamily("haiku")!.ClientId);
        Assert.Equal("claude-haiku-org-preview", merged.Find("eu.anthropic.claude-haiku-org-preview")!.ClientId);
        Assert.Equal(FeatureAction.Reject, merged.BetaRule(target, "oauth-2025-04-20").Action);
        Assert.Equal(Catalogue.Models.Count + 1, merged.Models.Count);
        // The shipped catalogue is untouched.
        Assert.Null(Catalogue.Find("claude-haiku-org-preview"));
        Assert.NotEqual(1.25m, Catalogue.Find(target.ClientId)!.Prices.InputPerMTok);
    }

    [Theory]
    [InlineData("""{"models":[{"clientId":"claude-new"}]}""", "models[")]
    [InlineData("""{"models":[{"family":"opus"}]}""", "clientId: missing")]
    [InlineData("""{"tiers":[]}""", "'tiers' is not an override key")]
    [InlineData("""{"betaRules":[{"name":"x","action":"map","source":"s"}]}""", "needs 'mapTo'")]
    [InlineData("""{"betaRules":[{"name":"x","action":"drop","source":"s"}]}""", "'drop' is not an action")]
    public void Bad_overrides_name_the_source_and_the_field(string json, string expected)
    {
        var ex = Assert.Throws<InvalidDataException>(() => Catalogue.WithOverrides(JsonNode.Parse(json)!, "org.json"));
        Assert.Contains("org.json", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Override_with_an_unknown_fallback_or_a_clashing_id_is_refused()
    {
        var target = Catalogue.ClaudeCodeDefault!;
        var fallback = Assert.Throws<InvalidDataException>(() => Catalogue.WithOverrides(JsonNode.Parse($$"""{"models":[{"clientId":"{{target.ClientId}}","fallback":"claude-nope"}]}""")!, "org.json"));
        Assert.Contains("'claude-nope' is not a clientId", fallback.Message, StringComparison.Ordinal);

        var other = Catalogue.Find(target.Fallback!)!;
        var clash = Assert.Throws<InvalidDataException>(() => Catalogue.WithOverrides(JsonNode.Parse($$"""{"models":[{"clientId":"{{target.ClientId}}","foundationModelId":"{{other.FoundationModelId}}"}]}""")!, "org.json"));
        Assert.Contains("already names", clash.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_catalogue_file_is_a_clear_error()
    {
        var ex = Assert.Throws<InvalidDataException>(() => ModelCatalogue.Parse("{ \"models\": [ ", "my.json"));
        Assert.StartsWith("my.json: not valid JSON", ex.Message, StringComparison.Ordinal);
        var document = JsonNode.Parse(ShippedJson)!;
        document["models"]![1]!["defaultMaxOutputTokens"] = 999_999_999;
        var limits = Assert.Throws<InvalidDataException>(() => ModelCatalogue.Parse(document.ToJsonString(), "my.json"));
        Assert.Contains("exceeds maxOutputTokens", limits.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_reads_a_catalogue_file_and_round_trips_its_json()
    {
        var path = Path.Combine(Path.GetTempPath(), $"basalt-catalogue-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, Catalogue.ToJson());
            var loaded = ModelCatalogue.Load(path);
            Assert.Equal(Catalogue.Models.Select(m => m.ClientId), loaded.Models.Select(m => m.ClientId));
            Assert.Equal(path, loaded.SourceName);
            using var doc = JsonDocument.Parse(loaded.ModelJson(loaded.ClaudeCodeDefault!));
            Assert.Equal(loaded.ClaudeCodeDefault!.ClientId, doc.RootElement.GetProperty("clientId").GetString());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
