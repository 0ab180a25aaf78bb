using Basalt.Bedrock.Models;
using Basalt.ManagedConfig;

namespace Basalt.Tests.ManagedConfig;

/// <summary>The configuration report's model findings come from the model catalogue.</summary>
public sealed class ModelCatalogueReportTests
{
    private static readonly ModelCatalogue Catalogue = ModelCatalogue.Default;

    [Fact]
    public void Report_flags_retired_not_offered_and_older_models_and_passes_the_newest()
    {
        var newest = Catalogue.NewestInFamily("opus", "us-west-2", "us")!;
        var older = Catalogue.Find(newest.Fallback!)!;
        var retired = Catalogue.Models.First(m => m.Retired && m.IsOnBedrock);
        var usOnly = Catalogue.Models.First(m => !m.Retired && m.IsOnBedrock && !m.ProfilePrefixes.Contains("eu"));
        var result = Validate("us-west-2", newest.ProfileId("us")!, older.ProfileId("us")!, retired.ProfileId("us")!, "eu." + usOnly.FoundationModelId);

        Assert.DoesNotContain(result, d => d.Message.Contains("[0]", StringComparison.Ordinal) && d.Code.StartsWith("BSL161", StringComparison.Ordinal));
        var old = Assert.Single(result, d => d.Code == ConfigDiagnosticCodes.OlderThanNewestModel);
        Assert.Contains(newest.DisplayName, old.Message, StringComparison.Ordinal);
        Assert.Contains(result, d => d.Code == ConfigDiagnosticCodes.RetiredModel && d.Message.Contains(retired.DisplayName, StringComparison.Ordinal));
        Assert.Contains(result, d => d.Code == ConfigDiagnosticCodes.ModelNotOffered && d.Message.Contains("[3]", StringComparison.Ordinal));
    }

    [Fact]
    public void Report_suggests_the_id_for_an_unknown_claude_model()
    {
        var model = Catalogue.ClaudeCodeDefault!;
        var result = Validate("us-west-2", "us." + model.FoundationModelId!.Replace("opus", "opsu", StringComparison.Ordinal));
        var d = Assert.Single(result, d => d.Code == ConfigDiagnosticCodes.UnknownClaudeModel);
        Assert.Contains(model.ProfileId("us")!, d.Fix, StringComparison.Ordinal);
    }

    private static IReadOnlyList<Basalt.Diagnostics.Diagnostic> Validate(string region, params string[] models)
        => TestConfigs.Validate(TestConfigs.With(TestConfigs.BedrockConfig,
            ("inferenceBedrockRegion", region),
            ("inferenceModels", $"[{string.Join(",", models.Select(m => $"\"{m}\""))}]"))).Diagnostics;
}
