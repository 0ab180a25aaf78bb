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
        var claude = ClaudeBinary();
        await using var host = await BedrockHost.StartAsync();
        using var home = new TempDirectory("claude-home");
        var environment = CleanEnvironment();
        environment["HOME"] = home.Path;
        environment["CLAUDE_CODE_USE_BEDROCK"] = "1";
        environment["AWS_REGION"] = "us-east-1";
        environment["ANTHROPIC_BEDROCK_BASE_URL"] = host.Endpoint;
        environment["AWS_BEARER_TOKEN_BEDROCK"] = host.Org.BobApiKey;
        environment["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1";
        environment["DISABLE_AUTOUPDATER"] = "1";

        var result = await ProcessRunner.RunAsync(claude, ["-p", "hello there", "--output-format", "json"], environment: environment,
            workingDirectory: home.Path, timeout: TimeSpan.FromMinutes(3));
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

    /// <summary>The native binary of the npm package (its postinstall may not have run: then the platform package's).</summary>
    private static string ClaudeBinary()
    {
        var modules = Path.Combine(RepoPaths.Interop, "node_modules", "@anthropic-ai");
        foreach (var candidate in new[] { Path.Combine(modules, "claude-code-linux-x64", "claude"), Path.Combine(modules, "claude-code", "bin", "claude.exe") })
        {
            if (File.Exists(candidate) && new FileInfo(candidate).Length > 1_000_000)
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"{modules}/claude-code is missing. Run: npm ci --prefix tests/interop (scripts/test.sh does this)");
    }

    /// <summary>The test's environment without any Anthropic, Claude or AWS setting that could pick a model or credential.</summary>
    private static Dictionary<string, string?> CleanEnvironment()
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var key in Environment.GetEnvironmentVariables().Keys.Cast<string>())
        {
            if (key.StartsWith("ANTHROPIC_", StringComparison.Ordinal) || key.StartsWith("CLAUDE", StringComparison.Ordinal)
                || key.StartsWith("AWS_", StringComparison.Ordinal) || key.StartsWith("OTEL_", StringComparison.Ordinal))
            {
                environment[key] = null;
            }
        }

        return environment;
    }
}
