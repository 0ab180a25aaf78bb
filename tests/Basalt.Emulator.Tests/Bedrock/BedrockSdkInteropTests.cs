using System.Text.Json;
using System.Text.Json.Nodes;
using Basalt.Emulator.Logging;
using Basalt.Emulator.Tests.TestSupport;
using Basalt.Testing;

namespace Basalt.Emulator.Tests.Bedrock;

/// <summary>
/// The real clients against the emulator: AWS SDK for JavaScript v3 (client-bedrock-runtime, client-bedrock) and
/// boto3, via scripts in tests/interop/bedrock-emulator. Retry counts are read from the emulator's request log.
/// </summary>
public sealed class BedrockSdkInteropTests
{
    private const string Sonnet = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";

    [Fact]
    public async Task Js_sdk_invoke_model_gets_the_reply_with_sigv4()
    {
        await using var host = await BedrockHost.StartAsync();
        var result = await RunAsync(host, new { modelId = Sonnet, stream = false, body = Body("Hello from the JS SDK") });
        Assert.True((bool)result["ok"]!, result.ToJsonString());
        Assert.Equal(1, (int)result["attempts"]!);
        Assert.Equal("application/json", (string?)result["contentType"]);
        Assert.Equal("Hello from the JS SDK", (string?)result["message"]!["content"]![0]!["text"]);
        Assert.Equal("arn:aws:iam::111122223333:user/engineering/alice", host.Log.Snapshot().Single().PrincipalArn);
    }

    [Fact]
    public async Task Js_sdk_streams_and_reassembles_text_with_consistent_token_counts()
    {
        await using var host = await BedrockHost.StartAsync();
        var prompt = "The quick brown fox jumps over the lazy dog. " + string.Concat(Enumerable.Repeat("Streaming works frame by frame. ", 10));
        var result = await RunAsync(host, new { modelId = Sonnet, stream = true, body = Body(prompt) });
        Assert.True((bool)result["ok"]!, result.ToJsonString());
        Assert.Equal(prompt, (string?)result["text"]);
        var types = result["eventTypes"]!.AsArray().Select(t => (string?)t).ToList();
        Assert.Equal("message_start", types[0]);
        Assert.Equal("message_stop", types[^1]);
        var output = (int)result["messageDelta"]!["usage"]!["output_tokens"]!;
        Assert.Equal((prompt.Length + 3) / 4, output);
        Assert.Equal(output, (int)result["metrics"]!["outputTokenCount"]!);
        Assert.Equal((int)result["messageStart"]!["usage"]!["input_tokens"]!, (int)result["metrics"]!["inputTokenCount"]!);
    }

    [Fact]
    public async Task Js_sdk_streams_thinking_and_a_scripted_tool_call_then_its_continuation()
    {
        await using var host = await BedrockHost.StartAsync("""
            bedrock:
              replies:
                rules:
                  - contains: weather
                    thinking: Need the weather tool.
                    toolUse:
                      name: get_weather
                      input: { city: Oslo }
                    afterToolResult: Oslo is cold today.
            """);
        var tools = new object[] { new { name = "get_weather", input_schema = new { type = "object" } } };
        var first = await RunAsync(host, new
        {
            modelId = Sonnet,
            stream = true,
            body = new Dictionary<string, object>
            {
                ["anthropic_version"] = "bedrock-2023-05-31",
                ["max_tokens"] = 4096,
                ["anthropic_beta"] = new[] { "interleaved-thinking-2025-05-14" },
                ["thinking"] = new { type = "enabled", budget_tokens = 1024 },
                ["tools"] = tools,
                ["messages"] = new[] { new { role = "user", content = "What's the weather?" } },
            },
        });
        Assert.True((bool)first["ok"]!, first.ToJsonString());
        Assert.Equal("Need the weather tool.", (string?)first["thinking"]);
        Assert.Equal("""{"city":"Oslo"}""", (string?)first["toolJson"]);
        Assert.Equal("tool_use", (string?)first["messageDelta"]!["delta"]!["stop_reason"]);

        // Ask again with the tool result; the id the script issued leads to the continuation.
        using var invoke = await host.Client.PostAsync($"model/{Sonnet}/invoke", BedrockHost.Json(BedrockHost.Body("What's the weather?", extra: ""","tools":[{"name":"get_weather","input_schema":{"type":"object"}}]""")));
        var toolId = (string?)JsonNode.Parse(await invoke.Content.ReadAsStringAsync())!["content"]![0]!["id"];
        var second = await RunAsync(host, new
        {
            modelId = Sonnet,
            stream = true,
            body = new Dictionary<string, object>
            {
                ["anthropic_version"] = "bedrock-2023-05-31",
                ["max_tokens"] = 1024,
                ["tools"] = tools,
                ["messages"] = new object[]
                {
                    new { role = "user", content = "What's the weather?" },
                    new { role = "assistant", content = new object[] { new { type = "tool_use", id = toolId, name = "get_weather", input = new { city = "Oslo" } } } },
                    new { role = "user", content = new object[] { new { type = "tool_result", tool_use_id = toolId, content = "-5C" } } },
                },
            },
        });
        Assert.Equal("Oslo is cold today.", (string?)second["text"]);
    }

    [Fact]
    public async Task Js_sdk_default_http2_handler_invokes_over_cleartext_http2()
    {
        await using var host = await BedrockHost.StartAsync();
        var result = await RunAsync(host, new { modelId = Sonnet, stream = false, body = Body("Hello over h2c"), http2 = true }, host.Http2Endpoint);
        Assert.True((bool)result["ok"]!, result.ToJsonString());
        Assert.Equal(200, (int)result["status"]!);
        Assert.Equal("Hello over h2c", (string?)result["message"]!["content"]![0]!["text"]);
        var entry = host.Log.Snapshot().Single();
        Assert.Equal(("InvokeModel", "arn:aws:iam::111122223333:user/engineering/alice"), (entry.Operation, entry.PrincipalArn));
    }

    [Fact]
    public async Task Js_sdk_default_http2_handler_streams_over_cleartext_http2()
    {
        await using var host = await BedrockHost.StartAsync();
        var prompt = "Frames over HTTP/2 streams. " + string.Concat(Enumerable.Repeat("One DATA frame per event. ", 8));
        var result = await RunAsync(host, new { modelId = Sonnet, stream = true, body = Body(prompt), http2 = true }, host.Http2Endpoint);
        Assert.True((bool)result["ok"]!, result.ToJsonString());
        Assert.Equal(prompt, (string?)result["text"]);
        var types = result["eventTypes"]!.AsArray().Select(t => (string?)t).ToList();
        Assert.Equal(("message_start", "message_stop"), (types[0], types[^1]));
        Assert.Equal((prompt.Length + 3) / 4, (int)result["metrics"]!["outputTokenCount"]!);
        Assert.Equal("InvokeModelWithResponseStream", host.Log.Snapshot().Single().Operation);
    }

    [Fact]
    public async Task Js_sdk_default_http2_handler_receives_each_frame_as_it_is_written()
    {
        await using var host = await BedrockHost.StartAsync("""
            bedrock:
              pacing:
                tokensPerSecond: 100
            """);
        var prompt = new string('h', 400); // 100 output tokens: 1 s at 100 tokens/s
        var result = await RunAsync(host, new { modelId = Sonnet, stream = true, body = Body(prompt), http2 = true }, host.Http2Endpoint);
        Assert.True((bool)result["ok"]!, result.ToJsonString());
        Assert.Equal(prompt, (string?)result["text"]);
        var first = (int)result["firstEventMs"]!;
        var total = (int)result["elapsedMs"]!;
        // A buffered stream would deliver message_start together with message_stop, after the whole second.
        Assert.True(total >= 900 && first < total - 500, $"first event after {first} ms, stream took {total} ms");
    }

    [Fact]
    public async Task Js_sdk_accepts_a_bedrock_api_key_as_bearer_token()
    {
        await using var host = await BedrockHost.StartAsync();
        var result = await NodePeer.RunAsync("bedrock-emulator/runtime.mjs", new { endpoint = host.Endpoint, region = "us-east-1", token = host.Org.BobApiKey, modelId = Sonnet, stream = true, body = Body("bearer") });
        Assert.True((bool)result["ok"]!, result.ToJsonString());
        Assert.Equal("bearer", (string?)result["text"]);
        Assert.Equal("arn:aws:iam::111122223333:user/finance/bob", host.Log.Snapshot().Single().PrincipalArn);
    }

    [Fact]
    public async Task Js_sdk_pages_inference_profiles_and_lists_foundation_models()
    {
        await using var host = await BedrockHost.StartAsync("""
            bedrock:
              applicationProfiles:
                - id: app1
                  name: App one
                  source: global.anthropic.claude-sonnet-4-5-20250929-v1:0
            """);
        var result = await NodePeer.RunAsync("bedrock-emulator/control.mjs", new
        {
            endpoint = host.Endpoint,
            region = "us-east-1",
            credentials = Credentials(host),
            pageSize = 2,
            byProvider = "Anthropic",
            profileId = "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/app1",
        });
        Assert.True((bool)result["ok"]!, result.ToJsonString());
        var profiles = result["profiles"]!.AsArray();
        var system = ServedModels.SystemProfileCount("us-east-1");
        Assert.Equal(system + 1, profiles.Count);
        Assert.Equal(ServedModels.Pages(system + 1, 2), (int)result["pages"]!);
        Assert.Equal(profiles.Count, profiles.Select(p => (string?)p!["id"]).Distinct().Count());
        Assert.Contains(profiles, p => (string?)p!["id"] == "global.anthropic.claude-haiku-4-5-20251001-v1:0" && (string?)p["type"] == "SYSTEM_DEFINED");
        Assert.All(profiles, p => Assert.Equal("2025-01-01T00:00:00.000Z", (string?)p!["createdAt"]));
        Assert.Equal(ServedModels.All.Count, result["foundationModels"]!.AsArray().Count);
        Assert.Equal("APPLICATION", (string?)result["profile"]!["type"]);
        Assert.Equal(ServedModels.Pages(system + 1, 2) + 2, host.Log.Snapshot().Count(e => e.Outcome == RequestLogEntry.SuccessOutcome));

        var systemOnly = await NodePeer.RunAsync("bedrock-emulator/control.mjs", new { endpoint = host.Endpoint, region = "us-east-1", credentials = Credentials(host), pageSize = 5, typeEquals = "SYSTEM_DEFINED" });
        Assert.Equal(system, systemOnly["profiles"]!.AsArray().Count);
        Assert.Equal(ServedModels.Pages(system, 5), (int)systemOnly["pages"]!);
    }

    [Fact]
    public async Task Js_sdk_retries_throttling_three_times_as_the_request_log_shows()
    {
        await using var host = await BedrockHost.StartAsync();
        var result = await RunAsync(host, new { modelId = Sonnet, stream = false, body = Body("hi"), fault = "throttle" });
        Assert.False((bool)result["ok"]!);
        Assert.Equal("ThrottlingException", (string?)result["name"]);
        Assert.Equal(429, (int)result["status"]!);
        Assert.Equal(3, (int)result["attempts"]!);
        var entries = host.Log.Snapshot();
        Assert.Equal(3, entries.Count);
        Assert.All(entries, e => Assert.Equal(("InvokeModel", "ThrottlingException", 429), (e.Operation, e.Outcome, e.StatusCode)));
    }

    [Fact]
    public async Task Js_sdk_recovers_when_a_configured_503_fault_stops_firing()
    {
        await using var host = await BedrockHost.StartAsync("""
            faults:
              rules:
                - fault: unavailable
                  services: [bedrock-runtime]
                  times: 2
            """);
        var result = await RunAsync(host, new { modelId = Sonnet, stream = true, body = Body("eventually") });
        Assert.True((bool)result["ok"]!, result.ToJsonString());
        Assert.Equal(3, (int)result["attempts"]!);
        Assert.Equal("eventually", (string?)result["text"]);
        Assert.Equal(["ServiceUnavailableException", "ServiceUnavailableException", RequestLogEntry.SuccessOutcome], host.Log.Snapshot().Select(e => e.Outcome));
    }

    [Fact]
    public async Task Js_sdk_waits_for_retry_after_between_attempts()
    {
        await using var host = await BedrockHost.StartAsync();
        var result = await RunAsync(host, new { modelId = Sonnet, stream = false, body = Body("hi"), fault = "throttle; retry-after=1", maxAttempts = 2 });
        Assert.Equal("ThrottlingException", (string?)result["name"]);
        Assert.Equal(2, host.Log.Snapshot().Count);
        var times = host.Log.Snapshot().Select(e => e.Time).ToList();
        Assert.True(times[1] - times[0] >= TimeSpan.FromMilliseconds(900), $"second attempt came {times[1] - times[0]} after the first");
    }

    [Theory]
    [InlineData("throttlingException", "ThrottlingException")]
    [InlineData("modelStreamErrorException", "ModelStreamErrorException")]
    [InlineData("internalServerException", "InternalServerException")]
    public async Task Js_sdk_surfaces_a_mid_stream_exception_frame_as_the_typed_exception(string type, string name)
    {
        await using var host = await BedrockHost.StartAsync();
        var result = await RunAsync(host, new { modelId = Sonnet, stream = true, body = Body("this stream breaks after a few frames, sadly"), fault = $"stream-exception; after=4; type={type}" });
        Assert.False((bool)result["ok"]!, result.ToJsonString());
        Assert.Equal(name, (string?)result["name"]);
        Assert.Equal(["message_start", "content_block_start", "content_block_delta", "content_block_delta"], result["eventTypes"]!.AsArray().Select(t => (string?)t));
        Assert.False(string.IsNullOrEmpty((string?)result["text"]));
    }

    [Fact]
    public async Task Boto3_streams_and_reassembles_text()
    {
        await using var host = await BedrockHost.StartAsync();
        var prompt = "boto3 iterates the event stream with botocore's decoder.";
        var result = await RunPythonAsync(new { endpoint = host.Endpoint, region = "us-east-1", credentials = Credentials(host), modelId = "arn:aws:bedrock:us-east-1:111122223333:inference-profile/" + Sonnet, body = Body(prompt) });
        Assert.True((bool)result["ok"]!, result.ToJsonString());
        Assert.Equal(prompt, (string?)result["text"]);
        Assert.Equal((prompt.Length + 3) / 4, (int)result["metrics"]!["outputTokenCount"]!);
        Assert.Equal((int)result["usage"]!["output_tokens"]!, (int)result["metrics"]!["outputTokenCount"]!);
        Assert.Equal("message_stop", (string?)result["eventTypes"]!.AsArray()[^1]);
    }

    [Fact]
    public async Task Boto3_reports_a_mid_stream_exception_frame()
    {
        await using var host = await BedrockHost.StartAsync();
        var result = await RunPythonAsync(new { endpoint = host.Endpoint, region = "us-east-1", credentials = Credentials(host), modelId = Sonnet, body = Body("break me in the middle of the stream please"), fault = "stream-exception; after=3; type=modelStreamErrorException" });
        Assert.False((bool)result["ok"]!, result.ToJsonString());
        Assert.Equal("EventStreamError", (string?)result["error"]);
        Assert.Equal("modelStreamErrorException", (string?)result["code"]);
        Assert.Equal(3, result["eventTypes"]!.AsArray().Count);
    }

    private static Dictionary<string, object> Body(string prompt) => new()
    {
        ["anthropic_version"] = "bedrock-2023-05-31",
        ["max_tokens"] = 1024,
        ["messages"] = new[] { new { role = "user", content = prompt } },
    };

    private static object Credentials(BedrockHost host) => new { accessKeyId = host.Org.AliceKeyId, secretAccessKey = host.Org.AliceSecret };

    private static Task<JsonObject> RunAsync(BedrockHost host, object request, string? endpoint = null)
    {
        var node = JsonSerializer.SerializeToNode(request)!.AsObject();
        node["endpoint"] = endpoint ?? host.Endpoint;
        node["region"] = "us-east-1";
        node["credentials"] = JsonSerializer.SerializeToNode(Credentials(host));
        return NodePeer.RunAsync("bedrock-emulator/runtime.mjs", node);
    }

    private static async Task<JsonObject> RunPythonAsync(object request)
    {
        var result = await ProcessRunner.RunAsync(ExternalTools.Python(), [Path.Combine(RepoPaths.Interop, "bedrock-emulator", "stream_boto3.py")], JsonSerializer.Serialize(request), timeout: TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonNode.Parse(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1])!.AsObject();
    }
}
