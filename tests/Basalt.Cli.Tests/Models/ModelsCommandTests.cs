using System.Text.Json.Nodes;
using Basalt.Bedrock.Models;
using Basalt.Emulator;
using Basalt.Testing;

namespace Basalt.Cli.Tests.Models;

/// <summary><c>basalt models</c> against the same catalogue file, and <c>sync</c> against the real emulator.</summary>
public sealed class ModelsCommandTests
{
    private const string Account = "111122223333";
    private const string ApiKey = "ABSKQmVkcm9ja0FQSUtleS1tb2RlbHMtc3luYy10ZXN0LWtleS1ub3QtcmVhbA-EXAMPLE";

    [Fact]
    public async Task List_shows_every_catalogue_model_and_json_is_the_catalogue()
    {
        var table = await InProcessCli.RunAsync(["models", "list"]);
        Assert.Equal(0, table.ExitCode);
        Assert.All(ModelCatalogue.Default.Models, m => Assert.Contains(m.ClientId, table.Stdout, StringComparison.Ordinal));
        Assert.Contains("retired", table.Stdout, StringComparison.Ordinal);

        var json = await InProcessCli.RunAsync(["models", "list", "--json"]);
        Assert.Equal(0, json.ExitCode);
        Assert.Equal(ModelCatalogue.Default.Models.Count, JsonNode.Parse(json.Stdout)!["models"]!.AsArray().Count);
    }

    [Fact]
    public async Task Show_finds_a_model_by_any_id_and_suggests_for_a_typo()
    {
        var model = ModelCatalogue.Default.ClaudeCodeDefault!;
        var shown = await InProcessCli.RunAsync(["models", "show", model.ProfileId("us")!]);
        Assert.Equal(0, shown.ExitCode);
        Assert.Contains(model.DisplayName, shown.Stdout, StringComparison.Ordinal);
        Assert.Contains(model.ProfileId("global")!, shown.Stdout, StringComparison.Ordinal);

        var json = await InProcessCli.RunAsync(["models", "show", model.ClientId, "--json"]);
        Assert.Equal(model.MaxOutputTokens, (int)JsonNode.Parse(json.Stdout)!["maxOutputTokens"]!);

        var typo = await InProcessCli.RunAsync(["models", "show", model.ClientId.Replace("opus", "opsu", StringComparison.Ordinal)]);
        Assert.Equal(1, typo.ExitCode);
        Assert.Contains($"did you mean '{model.ClientId}'", typo.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sync_against_the_emulator_with_two_models_disabled_makes_validate_warn_about_exactly_those_two()
    {
        var catalogue = ModelCatalogue.Default;
        var configured = catalogue.Models.Where(m => m.IsOnBedrock && !m.Retired && m.ProfilePrefixes.Contains("us")).TakeLast(5).ToList();
        var disabled = configured.Take(2).ToList();
        using var dir = new TempDirectory("models-sync");
        var options = EmulatorOptions.Parse($$"""
            region: us-west-2
            accounts:
              - id: "{{Account}}"
            users:
              - name: carol
                account: "{{Account}}"
                bedrockApiKeys: [{{ApiKey}}]
            bedrock:
              disabledModels:
                "{{Account}}": [{{string.Join(", ", disabled.Select(m => m.ClientId))}}]
            """, "emulator.yaml");
        Assert.False(options.HasErrors, string.Join("\n", options.Diagnostics));
        options.Port = 0;
        await using var emulator = await EmulatorServer.StartAsync(options);

        var token = dir.Write("token.txt", ApiKey);
        var output = dir.Combine("models.account.json");
        var sync = await InProcessCli.RunAsync(["models", "sync", "--region", "us-west-2", "--endpoint", emulator.BaseAddress.ToString(), "--bearer-token-file", token, "-o", output]);
        Assert.True(sync.ExitCode == 0, sync.Stderr);
        Assert.Contains($"not callable: {string.Join(", ", disabled.Select(m => m.ClientId))}", sync.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, sync.Stdout + sync.Stderr + File.ReadAllText(output), StringComparison.Ordinal);

        var models = string.Join("\n", configured.Select((m, i) => $"  m{i}:\n    id: {m.FoundationModelId}"));
        var deployment = dir.Write("basalt.yaml", $$"""
            version: 1
            name: sync-test
            aws:
              region: us-west-2
              scope: cross-region
              accountId: "{{Account}}"
            auth:
              approach: bearer-token
              bearerToken: ${file:token.txt}
            models:
            {{models}}
            modelCatalogue:
              files: [models.account.json]
            """);
        var validate = await InProcessCli.RunAsync(["deploy", "validate", deployment]);
        Assert.True(validate.ExitCode == 0, validate.Stderr);
        var warnings = validate.Stderr.Split('\n').Where(l => l.Contains("BSL7026", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, warnings.Count);
        foreach (var model in disabled)
        {
            Assert.Single(warnings, w => w.Contains($"'{model.ProfileId("us")}'", StringComparison.Ordinal));
        }
    }
}
