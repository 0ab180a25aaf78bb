using System.Text.Json.Nodes;
using Basalt.Bedrock.Models;
using Basalt.Emulator.Tests.Bedrock;
using Basalt.Testing;

namespace Basalt.Emulator.Tests.Clients;

/// <summary>
/// The newest Claude Code from npm (pinned in tests/interop/package.json) in Bedrock mode against the emulator with
/// no model configured: its start-up probe of the default model must be answered at once, not walked down the
/// fallback list (models.md, "Observed behaviour"; issue 15).
/// </summary>
public sealed class ClaudeCodeDefaultModelTests
{
    [Fact]
    public async Task Claude_code_in_bedrock_mode_gets_its_default_model_answered_on_the_first_probe()
    {
        await using var host = await BedrockHost.StartAsync();
        using var home = new TempDirectory("claude-home");
        var environment = ClaudeCode.Environment(home.Path);
        environment["CLAUDE_CODE_USE_BEDROCK"] = "1";
        environment["AWS_REGION"] = "us-east-1";
        environment["ANTHROPIC_BEDROCK_BASE_URL"] = host.Endpoint;
        environment["AWS_BEARER_TOKEN_BEDROCK"] = host.Org.BobApiKey;

        var result = await ClaudeCode.PrintAsync("hello there", environment, home.Path);
        var runtime = host.Log.Snapshot().Where(e => e.Service == "bedrock" && e.ModelId is not null).ToList();
        var trace = string.Join('\n', host.Log.Snapshot().Select(e => $"{e.Operation} {e.ModelId} {e.StatusCode} {e.Message}"));
        Assert.True(result.ExitCode == 0, $"claude exited {result.ExitCode}\nstdout: {result.Stdout}\nstderr: {result.Stderr}\nlog:\n{trace}");

        Assert.NotEmpty(runtime);
        Assert.DoesNotContain(runtime, e => e.Message?.Contains("model identifier is invalid", StringComparison.Ordinal) == true);
        // The client probes its default model (and its other tiers' defaults) in parallel: the first call naming the
        // default model is answered, so the client never walks its fallback list.
        var catalogue = ModelCatalogue.Default;
        var firstDefault = runtime.FirstOrDefault(e => ReferenceEquals(catalogue.Find(e.ModelId!), catalogue.ClaudeCodeDefault));
        Assert.True(firstDefault is { Succeeded: true }, trace);
        // Every id it called (the main loop and any side task) is one the catalogue knows and the emulator answered.
        Assert.All(runtime, e => Assert.True(e.Succeeded && catalogue.Find(e.ModelId!) is not null, trace));
        Assert.All(runtime.Where(e => !ReferenceEquals(catalogue.Find(e.ModelId!), catalogue.ClaudeCodeDefault)), e => Assert.Equal("InvokeModel", e.Operation));

        var output = JsonNode.Parse(result.Stdout.Trim().Split('\n')[^1])!;
        Assert.False((bool?)output["is_error"] ?? false, result.Stdout);
    }
}
