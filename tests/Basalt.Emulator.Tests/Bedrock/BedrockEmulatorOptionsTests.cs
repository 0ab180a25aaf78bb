using Basalt.Bedrock.Models;
using Basalt.Emulator.Bedrock;
using Basalt.Testing;

namespace Basalt.Emulator.Tests.Bedrock;

public sealed class BedrockEmulatorOptionsTests
{
    [Fact]
    public void Defaults_serve_every_current_bedrock_model_of_the_catalogue_with_echo_replies()
    {
        var options = BedrockEmulatorOptions.Default;
        var served = ModelCatalogue.Default.Models.Where(m => m.IsOnBedrock && !m.Retired).ToList();
        Assert.Equal(served.Select(m => m.FoundationModelId), options.Models.Select(m => m.Id));
        Assert.Equal(served.Select(m => m.MaxOutputTokens), options.Models.Select(m => m.MaxOutputTokens));
        Assert.Equal(served.Select(m => m.ContextWindow), options.Models.Select(m => m.ContextWindow));
        Assert.Equal(served.Select(m => m.ProfilePrefixes), options.Models.Select(m => m.Geographies));
        Assert.DoesNotContain(options.Models, m => ModelCatalogue.Default.Find(m.Id)!.Retired);
        Assert.Equal(ReplyMode.Echo, options.Replies.Mode);
        Assert.Equal(0, options.Pacing.TokensPerSecond);
        Assert.Equal("claude-sonnet-4-5-20250929", options.Models.Single(m => m.Id == "anthropic.claude-sonnet-4-5-20250929-v1:0").ResponseName);
        Assert.Equal(ModelCatalogue.Default.ClaudeCodeDefault!.ClientId, options.Models.Single(m => m.Id == ModelCatalogue.Default.ClaudeCodeDefault.FoundationModelId).ResponseName);
    }

    [Fact]
    public void Rules_models_profiles_and_pacing_are_read_and_reply_files_resolve_next_to_the_yaml_file()
    {
        using var dir = new TempDirectory("bedrock-opts");
        dir.Write("replies/long.md", "A long answer from a file.");
        var file = dir.Write("emulator.yaml", string.Empty);
        var options = BedrockYamlTestData.Bedrock("""
            bedrock:
              accountId: "210987654321"
              models:
                - id: anthropic.claude-sonnet-4-5-20250929-v1:0
                  name: Sonnet
                  geographies: [us, global]
                  maxOutputTokens: 8000
                  onDemand: true
              applicationProfiles:
                - id: team1
                  name: Team one
                  source: us.anthropic.claude-sonnet-4-5-20250929-v1:0
              pacing:
                firstByteDelayMs: 250
                tokensPerSecond: 40.5
              replies:
                directory: replies
                rules:
                  - name: long
                    contains: essay
                    replyFile: long.md
                  - regex: "^weather in (\\w+)"
                    toolUse:
                      name: get_weather
                      input: { city: Paris, days: 3, metric: true, note: "007" }
                    afterToolResult: Sunny.
            """, out var diagnostics, file);

        Assert.Empty(diagnostics);
        Assert.Equal("210987654321", options.AccountId);
        var model = Assert.Single(options.Models);
        Assert.Equal(8000, model.MaxOutputTokens);
        Assert.True(model.OnDemand);
        Assert.Equal(["us", "global"], model.Geographies);
        Assert.Equal("team1", Assert.Single(options.ApplicationProfiles).Id);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.Pacing.FirstByteDelay);
        Assert.Equal(40.5, options.Pacing.TokensPerSecond);
        Assert.Equal("A long answer from a file.", options.Replies.Rules[0].Reply);
        Assert.Equal("get_weather", options.Replies.Rules[1].ToolUse!.Name);
        Assert.Equal("""{"city":"Paris","days":3,"metric":true,"note":"007"}""", options.Replies.Rules[1].ToolUse!.InputJson);
        Assert.Equal("Sunny.", options.Replies.Rules[1].AfterToolResult);
    }

    [Fact]
    public void Problems_are_reported_with_codes_and_lines_instead_of_thrown()
    {
        BedrockYamlTestData.Bedrock("""
            bedrock:
              accountId: "12345"
              pacing:
                tokensPerSecnd: 10
              applicationProfiles:
                - id: team1
                  source: us.anthropic.claude-unknown-v1:0
              replies:
                rules:
                  - contains: x
                  - regex: "(unclosed"
                    reply: y
                  - contains: z
                    replyFile: missing.md
                  - contains: w
                    reply: v
                    afterToolResult: u
            """, out var diagnostics);

        var codes = diagnostics.Select(d => (d.Code, d.Severity, d.Location!.Line)).ToList();
        Assert.Contains(("EMU2002", Basalt.Diagnostics.DiagnosticSeverity.Error, 2), codes);
        Assert.Contains(("EMU2000", Basalt.Diagnostics.DiagnosticSeverity.Warning, 4), codes);
        Assert.Contains(("EMU2022", Basalt.Diagnostics.DiagnosticSeverity.Error, 7), codes);
        Assert.Contains(("EMU2047", Basalt.Diagnostics.DiagnosticSeverity.Error, 10), codes);
        Assert.Contains(("EMU2044", Basalt.Diagnostics.DiagnosticSeverity.Error, 11), codes);
        Assert.Contains(("EMU2045", Basalt.Diagnostics.DiagnosticSeverity.Error, 14), codes);
        Assert.Contains(("EMU2048", Basalt.Diagnostics.DiagnosticSeverity.Error, 15), codes);
        Assert.All(diagnostics, d => Assert.Equal("/tmp/emulator.yaml", d.Location!.File));
    }

    [Fact]
    public void An_empty_model_list_is_an_error()
    {
        BedrockYamlTestData.Bedrock("bedrock:\n  models: []\n", out var diagnostics);
        Assert.Contains(diagnostics, d => d.Code == "EMU2010" && d.IsError);
    }
}
