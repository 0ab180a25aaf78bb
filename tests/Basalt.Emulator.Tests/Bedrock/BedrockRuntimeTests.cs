using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Basalt.Aws;

using Basalt.Emulator.Logging;

namespace Basalt.Emulator.Tests.Bedrock;

public sealed class BedrockRuntimeTests
{
    private const string Sonnet = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";

    [Fact]
    public async Task Invoke_returns_the_anthropic_message_with_token_headers_and_is_logged()
    {
        await using var host = await BedrockHost.StartAsync();
        using var response = await host.Client.PostAsync($"model/{Sonnet}/invoke", BedrockHost.Json(BedrockHost.Body("Hello emulator")));
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = JsonNode.Parse(text)!;
        Assert.Equal("message", (string?)json["type"]);
        Assert.Equal("claude-sonnet-4-5-20250929", (string?)json["model"]);
        Assert.StartsWith("msg_bdrk_", (string?)json["id"], StringComparison.Ordinal);
        Assert.Equal("Hello emulator", (string?)json["content"]![0]!["text"]);
        Assert.Equal("end_turn", (string?)json["stop_reason"]);
        var input = (int)json["usage"]!["input_tokens"]!;
        var output = (int)json["usage"]!["output_tokens"]!;
        Assert.Equal((14 + 3) / 4, input);
        Assert.Equal((14 + 3) / 4, output);
        Assert.Equal(input.ToString(), response.Headers.GetValues("X-Amzn-Bedrock-Input-Token-Count").Single());
        Assert.Equal(output.ToString(), response.Headers.GetValues("X-Amzn-Bedrock-Output-Token-Count").Single());
        Assert.True(response.Headers.Contains("X-Amzn-Bedrock-Invocation-Latency"));
        var requestId = response.Headers.GetValues("x-amzn-RequestId").Single();

        var entry = Assert.Single(host.Log.Snapshot());
        Assert.Equal(("bedrock", "InvokeModel", RequestLogEntry.SuccessOutcome, 200, requestId), (entry.Service, entry.Operation, entry.Outcome, entry.StatusCode, entry.RequestId));
        Assert.Equal("arn:aws:iam::111122223333:user/finance/bob", entry.PrincipalArn);
    }

    [Fact]
    public async Task Stream_frames_carry_the_anthropic_events_with_consistent_usage_and_invocation_metrics()
    {
        await using var host = await BedrockHost.StartAsync();
        var prompt = string.Join(' ', Enumerable.Range(0, 40).Select(i => $"word{i}"));
        using var response = await host.Client.PostAsync($"model/{Sonnet}/invoke-with-response-stream", BedrockHost.Json(BedrockHost.Body(prompt)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.amazon.eventstream", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("application/json", response.Headers.GetValues("X-Amzn-Bedrock-Content-Type").Single());
        Assert.True(response.Headers.Contains("x-amzn-RequestId"));

        var frames = await StreamEvents.ReadFramesAsync(response);
        Assert.All(frames, f =>
        {
            Assert.Equal(("event", "chunk", "application/json"), (f.MessageType, f.EventType, f.ContentType));
            var payload = JsonNode.Parse(f.Payload.Span)!.AsObject();
            Assert.Equal(["bytes", "p"], payload.Select(p => p.Key));
        });
        var events = frames.Select(StreamEvents.Event).ToList();
        Assert.Equal(["message_start", "content_block_start"], events.Take(2).Select(e => (string?)e["type"]));
        Assert.Equal(["content_block_stop", "message_delta", "message_stop"], events.TakeLast(3).Select(e => (string?)e["type"]));
        Assert.True(events.Count(e => (string?)e["type"] == "content_block_delta") > 5, "text should arrive in several deltas");
        Assert.Equal(prompt, StreamEvents.Text(events));

        var expectedOutput = (prompt.Length + 3) / 4;
        var input = (int)events[0]["message"]!["usage"]!["input_tokens"]!;
        Assert.Equal(1, (int)events[0]["message"]!["usage"]!["output_tokens"]!);
        var delta = events[^2];
        Assert.Equal("end_turn", (string?)delta["delta"]!["stop_reason"]);
        Assert.Equal(expectedOutput, (int)delta["usage"]!["output_tokens"]!);
        var metrics = events[^1]["amazon-bedrock-invocationMetrics"]!;
        Assert.Equal(input, (int)metrics["inputTokenCount"]!);
        Assert.Equal(expectedOutput, (int)metrics["outputTokenCount"]!);
        Assert.True((long)metrics["invocationLatency"]! >= (long)metrics["firstByteLatency"]!);
    }

    [Fact]
    public async Task The_library_meter_reads_the_same_token_counts_the_emulator_wrote_in_headers_usage_and_metrics()
    {
        await using var host = await BedrockHost.StartAsync();
        const string prompt = "Meter this answer, every token of it.";
        using var invoke = await host.Client.PostAsync($"model/{Sonnet}/invoke", BedrockHost.Json(BedrockHost.Body(prompt)));
        using var response = await host.Client.PostAsync($"model/{Sonnet}/invoke-with-response-stream", BedrockHost.Json(BedrockHost.Body(prompt)));

        var meter = new Basalt.Bedrock.Metering.StreamMeter();
        foreach (var frame in await StreamEvents.ReadFramesAsync(response))
        {
            meter.Observe(Basalt.Bedrock.BedrockStreamEvent.From(frame));
        }

        // TokenCounter's rule (docs/emulator.md): ceil(UTF-8 bytes / 4) for the echoed prompt, both ways.
        var tokens = (prompt.Length + 3) / 4;
        Assert.True(meter.HasFinalUsage);
        Assert.Equal(new Basalt.Bedrock.Metering.TokenUsage(tokens, tokens), meter.Usage);
        Assert.Equal((tokens, tokens), (meter.InvocationMetrics!.Value.InputTokenCount, meter.InvocationMetrics.Value.OutputTokenCount));
        Assert.Equal(tokens.ToString(System.Globalization.CultureInfo.InvariantCulture), invoke.Headers.GetValues("X-Amzn-Bedrock-Output-Token-Count").Single());
        Assert.Equal("end_turn", meter.StopReason);
    }

    [Fact]
    public async Task Count_tokens_matches_the_input_tokens_of_invoke_for_the_same_body()
    {
        await using var host = await BedrockHost.StartAsync();
        var body = BedrockHost.Body("Count these tokens, please.", extra: ""","system":"You are terse.","tools":[{"name":"x","input_schema":{"type":"object"}}]""");
        using var invoke = await host.Client.PostAsync($"model/{Sonnet}/invoke", BedrockHost.Json(body));
        var input = (int)JsonNode.Parse(await invoke.Content.ReadAsStringAsync())!["usage"]!["input_tokens"]!;
        var wrapper = "{\"input\":{\"invokeModel\":{\"body\":\"" + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(body)) + "\"}}}";
        using var count = await host.Client.PostAsync($"model/{Sonnet}/count-tokens", BedrockHost.Json(wrapper));
        Assert.Equal(HttpStatusCode.OK, count.StatusCode);
        Assert.Equal(input, (int)JsonNode.Parse(await count.Content.ReadAsStringAsync())!["inputTokens"]!);
    }

    [Theory]
    [InlineData("us.anthropic.claude-sonnet-4-5-20250929-v1:0")]
    [InlineData("us.anthropic.claude-sonnet-4-5-20250929-v1%3A0")]
    [InlineData("arn%3Aaws%3Abedrock%3Aus-east-1%3A111122223333%3Ainference-profile%2Fus.anthropic.claude-sonnet-4-5-20250929-v1%3A0")]
    [InlineData("arn:aws:bedrock:us-east-1:111122223333:inference-profile%2Fus.anthropic.claude-sonnet-4-5-20250929-v1:0")]
    [InlineData("arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0")]
    public async Task Model_ids_are_accepted_raw_or_percent_encoded(string pathModelId)
    {
        await using var host = await BedrockHost.StartAsync();
        using var response = await host.Client.PostAsync($"model/{pathModelId}/invoke", BedrockHost.Json(BedrockHost.Body("hi")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Application_inference_profile_arns_work_url_encoded()
    {
        await using var host = await BedrockHost.StartAsync("""
            bedrock:
              applicationProfiles:
                - id: team42
                  name: Team 42
                  source: global.anthropic.claude-haiku-4-5-20251001-v1:0
            """);
        var arn = Uri.EscapeDataString("arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/team42");
        using var response = await host.Client.PostAsync($"model/{arn}/invoke", BedrockHost.Json(BedrockHost.Body("hi")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("claude-haiku-4-5-20251001", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["model"]);
    }

    [Fact]
    public async Task Errors_use_bedrocks_shape_header_and_status()
    {
        await using var host = await BedrockHost.StartAsync();
        using var unknown = await host.Client.PostAsync("model/us.anthropic.claude-nope-v1:0/invoke", BedrockHost.Json(BedrockHost.Body("hi")));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.StartsWith("ValidationException", unknown.Headers.GetValues("x-amzn-ErrorType").Single(), StringComparison.Ordinal);
        Assert.Equal("The provided model identifier is invalid.", (string?)JsonNode.Parse(await unknown.Content.ReadAsStringAsync())!["message"]);

        using var streamField = await host.Client.PostAsync($"model/{Sonnet}/invoke-with-response-stream", BedrockHost.Json(BedrockHost.Body("hi", extra: ""","stream":true""")));
        Assert.Equal(HttpStatusCode.BadRequest, streamField.StatusCode);
        Assert.Contains("extraneous key [stream]", await streamField.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(["ValidationException", "ValidationException"], host.Log.Snapshot().Select(e => e.Outcome));
    }

    [Fact]
    public async Task Unauthenticated_calls_are_refused_and_logged()
    {
        await using var host = await BedrockHost.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = host.BaseAddress };
        using var response = await anonymous.PostAsync($"model/{Sonnet}/invoke", BedrockHost.Json(BedrockHost.Body("hi")));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-key");
        using var badKey = await anonymous.PostAsync($"model/{Sonnet}/invoke", BedrockHost.Json(BedrockHost.Body("hi")));
        Assert.Equal(HttpStatusCode.Forbidden, badKey.StatusCode);
        Assert.Equal(2, host.Log.Snapshot().Count(e => e.StatusCode == 403));
    }

    [Fact]
    public async Task SigV4_signed_requests_with_service_bedrock_are_accepted_and_attributed()
    {
        await using var host = await BedrockHost.StartAsync();
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.BaseAddress, "model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke"))
        {
            Content = BedrockHost.Json(BedrockHost.Body("signed")),
        };
        await SigV4Signer.SignAsync(request, new AwsCredentials(host.Org.AliceKeyId, host.Org.AliceSecret), "us-east-1", "bedrock", DateTimeOffset.UtcNow, CancellationToken.None);
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("arn:aws:iam::111122223333:user/engineering/alice", host.Log.Snapshot().Single().PrincipalArn);
    }

    [Fact]
    public async Task Thinking_streams_thinking_and_signature_deltas_before_the_text()
    {
        await using var host = await BedrockHost.StartAsync();
        var body = BedrockHost.Body("think about this", maxTokens: 4096, extra: ""","thinking":{"type":"enabled","budget_tokens":2048}""");
        using var response = await host.Client.PostAsync($"model/{Sonnet}/invoke-with-response-stream", BedrockHost.Json(body));
        var events = (await StreamEvents.ReadFramesAsync(response)).Select(StreamEvents.Event).ToList();
        Assert.Equal("thinking", (string?)events[1]["content_block"]!["type"]);
        Assert.Contains("think about this", StreamEvents.Text(events, "thinking_delta", "thinking"), StringComparison.Ordinal);
        Assert.Single(events, e => (string?)e["delta"]?["type"] == "signature_delta");
        var textStart = events.First(e => (string?)e["type"] == "content_block_start" && (string?)e["content_block"]!["type"] == "text");
        Assert.Equal(1, (int)textStart["index"]!);
        Assert.Equal("think about this", StreamEvents.Text(events));
    }

    [Fact]
    public async Task Tool_use_streams_input_json_deltas_that_reassemble_to_the_scripted_input()
    {
        await using var host = await BedrockHost.StartAsync("""
            bedrock:
              replies:
                rules:
                  - contains: files
                    toolUse:
                      name: list_files
                      input: { path: /home/user/projects/basalt, recursive: true, pattern: "*.cs" }
            """);
        var body = BedrockHost.Body("list the files", extra: ""","tools":[{"name":"list_files","input_schema":{"type":"object"}}]""");
        using var response = await host.Client.PostAsync($"model/{Sonnet}/invoke-with-response-stream", BedrockHost.Json(body));
        var events = (await StreamEvents.ReadFramesAsync(response)).Select(StreamEvents.Event).ToList();
        var start = events.Single(e => (string?)e["type"] == "content_block_start");
        Assert.Equal("tool_use", (string?)start["content_block"]!["type"]);
        Assert.Equal("list_files", (string?)start["content_block"]!["name"]);
        var json = StreamEvents.Text(events, "input_json_delta", "partial_json");
        Assert.Equal("""{"path":"/home/user/projects/basalt","recursive":true,"pattern":"*.cs"}""", json);
        Assert.Equal("tool_use", (string?)events[^2]["delta"]!["stop_reason"]);
    }

    [Fact]
    public async Task Pacing_holds_the_first_byte_and_spreads_tokens_over_time()
    {
        await using var host = await BedrockHost.StartAsync("""
            bedrock:
              pacing:
                firstByteDelayMs: 300
                tokensPerSecond: 200
            """);
        var prompt = new string('x', 400); // 100 output tokens: 0.5 s at 200 tokens/s
        var watch = Stopwatch.StartNew();
        using var response = await host.PostHeadersAsync($"model/{Sonnet}/invoke-with-response-stream", BedrockHost.Body(prompt));
        var headersAfter = watch.Elapsed;
        var events = (await StreamEvents.ReadFramesAsync(response)).Select(StreamEvents.Event).ToList();
        var total = watch.Elapsed;
        Assert.True(headersAfter >= TimeSpan.FromMilliseconds(290), $"headers came after {headersAfter}");
        Assert.True(total >= TimeSpan.FromMilliseconds(780), $"stream took {total}");
        var metrics = events[^1]["amazon-bedrock-invocationMetrics"]!;
        Assert.True((long)metrics["firstByteLatency"]! >= 290);
        Assert.True((long)metrics["invocationLatency"]! >= 780);
    }

    [Fact]
    public async Task Per_request_headers_override_pacing()
    {
        await using var host = await BedrockHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"model/{Sonnet}/invoke") { Content = BedrockHost.Json(BedrockHost.Body("hi")) };
        request.Headers.Add("x-basalt-first-byte-delay-ms", "250");
        var watch = Stopwatch.StartNew();
        using var response = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(240), $"answered after {watch.Elapsed}");
    }

    [Fact]
    public async Task A_client_that_leaves_mid_stream_cancels_generation()
    {
        await using var host = await BedrockHost.StartAsync("""
            bedrock:
              pacing:
                tokensPerSecond: 20
            """);
        var prompt = new string('y', 4000); // 1000 tokens: 50 s at 20 tokens/s
        using (var response = await host.PostHeadersAsync($"model/{Sonnet}/invoke-with-response-stream", BedrockHost.Body(prompt)))
        {
            await using var body = await response.Content.ReadAsStreamAsync();
            var buffer = new byte[256];
            Assert.True(await body.ReadAsync(buffer) > 0);
        }

        // Disposing the response closes the connection; the handler must notice and stop long before 50 s.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (host.Log.Snapshot().Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal("ClientClosedRequest", Assert.Single(host.Log.Snapshot()).Outcome);
    }
}
