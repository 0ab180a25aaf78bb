using Basalt.Gateway.Tests.TestSupport;
using Basalt.Usage;

namespace Basalt.Gateway.Tests.Anthropic;

/// <summary>The real Anthropic SDK (@anthropic-ai/sdk) through Basalt's gateway to the emulated Bedrock (issue 8, "Done when").</summary>
public sealed class AnthropicSdkTests : IAsyncLifetime
{
    private GatewayTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GatewayTestHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Messages_create_returns_the_answer_and_usage_is_recorded_for_the_key_owner()
    {
        var result = await GatewayTestHost.NodeAsync("anthropic-sdk.mjs", new { baseURL = _host.BaseUrl, apiKey = _host.AliceKey, model = "sonnet", action = "create", prompt = "Say hi through the gateway" });

        Assert.True((bool)result["ok"]!, result.ToJsonString());
        Assert.Equal("Say hi through the gateway", (string)result["text"]!);
        Assert.Equal("end_turn", (string)result["stop_reason"]!);
        var usage = Assert.Single(await _host.Usage.WaitAsync(1));
        Assert.Equal("alice", usage.Principal.UserId);
        Assert.Equal("alice-laptop", usage.Principal.CredentialId);
        Assert.Equal("sonnet", usage.ModelRequested);
        Assert.Equal("claude-sonnet-4-5", usage.ModelServed);
        Assert.Equal(GatewayTestHost.SonnetProfile, usage.UpstreamModelId);
        Assert.Equal("region0", usage.Upstream);
        Assert.Equal(UsageOutcome.Ok, usage.Outcome);
        Assert.False(usage.Streamed);
        Assert.False(usage.IsEstimate);
        Assert.Equal((long)result["usage"]!["input_tokens"]!, usage.InputTokens);
        Assert.Equal((long)result["usage"]!["output_tokens"]!, usage.OutputTokens);
        Assert.True(usage.InputTokens > 0 && usage.OutputTokens > 0);
    }

    [Fact]
    public async Task Messages_stream_arrives_as_anthropic_server_sent_events_with_usage_counted_from_the_events()
    {
        var result = await GatewayTestHost.NodeAsync("anthropic-sdk.mjs", new { baseURL = _host.BaseUrl + "/v1", authToken = _host.AliceKey, model = "claude-sonnet-4-5", action = "stream", prompt = "Stream me a reply of some length, please, word by word" });

        Assert.True((bool)result["ok"]!, result.ToJsonString());
        Assert.Equal("Stream me a reply of some length, please, word by word", (string)result["text"]!);
        var events = result["events"]!.AsArray().Select(e => (string)e!).ToList();
        Assert.Equal("message_start", events[0]);
        Assert.Contains("content_block_delta", events);
        Assert.Equal("message_stop", events[^1]);
        var usage = Assert.Single(await _host.Usage.WaitAsync(1));
        Assert.True(usage.Streamed);
        Assert.Equal((long)result["usage"]!["output_tokens"]!, usage.OutputTokens);
        Assert.Equal((long)result["usage"]!["input_tokens"]!, usage.InputTokens);
        Assert.NotNull(usage.TimeToFirstByte);
    }

    [Fact]
    public async Task Tool_use_round_trip_with_thinking_keeps_the_signature_and_gets_the_after_tool_answer()
    {
        var result = await GatewayTestHost.NodeAsync("anthropic-sdk.mjs", new
        {
            baseURL = _host.BaseUrl,
            apiKey = _host.AliceKey,
            model = "sonnet",
            action = "tools",
            prompt = "What is the weather in Paris?",
            thinking = new { type = "enabled", budget_tokens = 2048 },
            betas = new[] { "interleaved-thinking-2025-05-14" },
        });

        Assert.True((bool)result["ok"]!, result.ToJsonString());
        Assert.Equal("tool_use", (string)result["firstStop"]!);
        Assert.Equal("get_weather", (string)result["toolName"]!);
        Assert.Equal("Paris", (string)result["toolInput"]!["city"]!);
        Assert.False(string.IsNullOrEmpty((string?)result["signature"]));
        Assert.Equal("It is sunny in Paris.", (string)result["text"]!);
    }

    [Fact]
    public async Task Count_tokens_is_served_through_bedrock_count_tokens()
    {
        var result = await GatewayTestHost.NodeAsync("anthropic-sdk.mjs", new { baseURL = _host.BaseUrl, apiKey = _host.AliceKey, model = "sonnet", action = "count", prompt = "How many tokens is this?" });

        Assert.True((bool)result["ok"]!, result.ToJsonString());
        Assert.True((long)result["input_tokens"]! > 0);
        Assert.Contains(_host.Emulator.RequestLog.Snapshot(), e => e.Operation == "CountTokens" && e.Succeeded);
    }

    [Fact]
    public async Task Models_list_shows_only_the_models_the_callers_groups_allow_with_family_fields()
    {
        var alice = await GatewayTestHost.NodeAsync("anthropic-sdk.mjs", new { baseURL = _host.BaseUrl, apiKey = _host.AliceKey, action = "models" });
        var bob = await GatewayTestHost.NodeAsync("anthropic-sdk.mjs", new { baseURL = _host.BaseUrl, apiKey = _host.BobKey, action = "models" });

        Assert.True((bool)alice["ok"]!, alice.ToJsonString());
        Assert.Equal(["claude-sonnet-4-5", "claude-haiku-4-5"], alice["ids"]!.AsArray().Select(i => (string)i!));
        Assert.Equal(["claude-haiku-4-5"], bob["ids"]!.AsArray().Select(i => (string)i!));
        var sonnet = alice["entries"]!.AsArray()[0]!;
        Assert.Equal("sonnet", (string)sonnet["anthropic_family_tier"]!);
        Assert.True((bool)sonnet["is_family_default"]!);
        Assert.Equal(200000, (int)sonnet["max_input_tokens"]!);
    }

    [Fact]
    public async Task A_model_outside_the_callers_groups_is_a_permission_error()
    {
        var result = await GatewayTestHost.NodeAsync("anthropic-sdk.mjs", new { baseURL = _host.BaseUrl, apiKey = _host.BobKey, model = "sonnet", action = "create", prompt = "hi" });

        Assert.False((bool)result["ok"]!);
        Assert.Equal(403, (int)result["status"]!);
        Assert.Equal("permission_error", (string)result["type"]!);
    }

    [Fact]
    public async Task A_wrong_key_is_an_authentication_error()
    {
        var result = await GatewayTestHost.NodeAsync("anthropic-sdk.mjs", new { baseURL = _host.BaseUrl, apiKey = "bsk_wrong", model = "sonnet", action = "create", prompt = "hi" });

        Assert.False((bool)result["ok"]!);
        Assert.Equal(401, (int)result["status"]!);
        Assert.Equal("authentication_error", (string)result["type"]!);
        Assert.DoesNotContain(_host.Emulator.RequestLog.Snapshot(), e => e.Operation is "InvokeModel" or "InvokeModelWithResponseStream" or "CountTokens");
    }

    [Fact]
    public async Task An_unknown_model_is_not_found_in_anthropic_wording()
    {
        var result = await GatewayTestHost.NodeAsync("anthropic-sdk.mjs", new { baseURL = _host.BaseUrl, apiKey = _host.AliceKey, model = "claude-nonexistent-9", action = "create", prompt = "hi" });

        Assert.False((bool)result["ok"]!);
        Assert.Equal(404, (int)result["status"]!);
        Assert.Equal("not_found_error", (string)result["type"]!);
        Assert.Equal("model: claude-nonexistent-9", (string)result["message"]!);
    }
}
