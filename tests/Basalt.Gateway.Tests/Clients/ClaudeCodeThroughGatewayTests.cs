using System.Text.Json.Nodes;
using Basalt.Gateway.Tests.TestSupport;
using Basalt.Testing;

namespace Basalt.Gateway.Tests.Clients;

/// <summary>
/// The newest Claude Code from npm (pinned in tests/interop/package.json), run with <c>-p</c>, through Basalt's gateway
/// to the emulated Bedrock in both of its modes (issue 8, "Done when"): a real answer comes back, every Bedrock call
/// in the emulator's request log is made by alice's own assumed-role session, and the gateway answered none of the
/// client's requests — start-up probes included — with a 4xx or 5xx (no "invalid beta flag", no 404 on count_tokens).
/// </summary>
public sealed class ClaudeCodeThroughGatewayTests
{
    private const string AliceSession = "arn:aws:sts::111122223333:assumed-role/BedrockUser/alice";

    /// <summary>Claude Code's own default model (the catalogue's <c>claudeCodeDefault</c>) served next to Sonnet and Haiku.</summary>
    private const string OpusModel = """
            claude-opus-5-5:
              routes:
                - { upstream: region0, model: "us.anthropic.claude-opus-5-5" }
        """;

    [Theory]
    [InlineData("ANTHROPIC_AUTH_TOKEN")]
    [InlineData("ANTHROPIC_API_KEY")]
    public async Task Claude_code_in_anthropic_mode_gets_an_answer_through_the_gateway_as_the_key_owner(string credentialVariable)
    {
        var access = new AccessLog();
        await using var host = await GatewayTestHost.StartAsync(new GatewayTestOptions { AssumeRole = true, ExtraModelsYaml = OpusModel, AccessLog = access });
        using var home = new TempDirectory("claude-home");
        var environment = ClaudeCode.Environment(home.Path);
        environment["ANTHROPIC_BASE_URL"] = host.BaseUrl;
        environment[credentialVariable] = host.AliceKey;
        environment["CLAUDE_CODE_ENABLE_GATEWAY_MODEL_DISCOVERY"] = "1";

        var result = await ClaudeCode.PrintAsync("hello there", environment, home.Path);

        AssertAnsweredAsAlice(result, host, access);
        Assert.Contains(access.Lines, l => l is { Method: "POST", Path: "/v1/messages", Status: 200 });
    }

    [Theory]
    [InlineData("ANTHROPIC_AUTH_TOKEN")]
    [InlineData("AWS_BEARER_TOKEN_BEDROCK")]
    public async Task Claude_code_in_bedrock_mode_gets_an_answer_through_the_gateway_as_the_key_owner(string credentialVariable)
    {
        var access = new AccessLog();
        await using var host = await GatewayTestHost.StartAsync(new GatewayTestOptions { AssumeRole = true, ExtraModelsYaml = OpusModel, AccessLog = access });
        using var home = new TempDirectory("claude-home");
        var environment = ClaudeCode.Environment(home.Path);
        environment["CLAUDE_CODE_USE_BEDROCK"] = "1";
        environment["AWS_REGION"] = "us-east-1";
        environment["ANTHROPIC_BEDROCK_BASE_URL"] = host.BaseUrl;
        environment[credentialVariable] = host.AliceKey;
        if (credentialVariable == "ANTHROPIC_AUTH_TOKEN")
        {
            // The gateway's key instead of AWS credentials: the client must not try to sign (gateway.md §1.2).
            environment["CLAUDE_CODE_SKIP_BEDROCK_AUTH"] = "1";
        }

        var result = await ClaudeCode.PrintAsync("hello there", environment, home.Path);

        AssertAnsweredAsAlice(result, host, access);
        Assert.Contains(access.Lines, l => l.Method == "POST" && l.Path.StartsWith("/model/", StringComparison.Ordinal) && l.Status == 200);
    }

    private static void AssertAnsweredAsAlice(ProcessResult result, GatewayTestHost host, AccessLog access)
    {
        var log = host.Emulator.RequestLog.Snapshot();
        var trace = $"{result}\n--- gateway access log ---\n{access}\n--- emulator log ---\n"
            + string.Join('\n', log.Select(e => $"{e.Operation} {e.ModelId} {e.StatusCode} {e.PrincipalArn} {e.Message}"));
        Assert.True(result.ExitCode == 0, trace);
        var output = JsonNode.Parse(result.Stdout.Trim().Split('\n')[^1])!;
        Assert.False((bool?)output["is_error"] ?? false, trace);
        Assert.Contains("hello there", (string?)output["result"] ?? string.Empty, StringComparison.Ordinal);

        // Every request the client made, start-up probes included, was answered without a client or server error.
        Assert.NotEmpty(access.Lines);
        Assert.All(access.Lines, l => Assert.True(l.Status < 400, $"{l.Method} {l.Path} answered {l.Status}\n{trace}"));

        // Every Bedrock call was made by alice's own assumed-role session and succeeded.
        var runtime = log.Where(e => e.Service == "bedrock" && e.ModelId is not null).ToList();
        Assert.NotEmpty(runtime);
        Assert.All(runtime, e => Assert.True(e.PrincipalArn == AliceSession && e.Succeeded, trace));
        Assert.All(host.Usage.Events, u => Assert.Equal("alice", u.Principal.UserId));
    }
}
