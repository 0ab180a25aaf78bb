using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Basalt.Gateway.Tests.TestSupport;
using Basalt.Testing;

namespace Basalt.Gateway.Tests.Bedrock;

/// <summary>
/// The Bedrock side of the gateway with the real AWS SDKs (issue 8, "Done when"): @aws-sdk/client-bedrock-runtime
/// and boto3 with a custom endpoint and the gateway key as bearer token (AWS_BEARER_TOKEN_BEDROCK).
/// </summary>
public sealed class BedrockSdkTests : IAsyncLifetime
{
    private const string TeamArn = "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/team1";
    private GatewayTestHost _host = null!;

    public async Task InitializeAsync() => _host = await GatewayTestHost.StartAsync(new GatewayTestOptions
    {
        ExtraBedrockYaml = "  applicationProfiles:\n    - { id: team1, name: Team one, source: \"" + GatewayTestHost.SonnetProfile + "\" }",
        ExtraModelsYaml = "    team-sonnet:\n      catalogue: claude-sonnet-4-5\n      routes: [ { upstream: region0, model: \"" + TeamArn + "\" } ]",
    });

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static object Body(string prompt) => new { anthropic_version = "bedrock-2023-05-31", max_tokens = 512, messages = new[] { new { role = "user", content = prompt } } };

    private Task<JsonObject> JsSdkAsync(string modelId, bool stream, string prompt, string? token = null)
        => NodeAsync("bedrock-emulator/runtime.mjs", new { endpoint = _host.BaseUrl, region = "us-east-1", modelId, body = Body(prompt), stream, token = token ?? _host.AliceKey, maxAttempts = 1 });

    private static async Task<JsonObject> NodeAsync(string script, object request)
    {
        var result = await ExternalTools.RunNodeAsync(script, [], stdin: JsonSerializer.Serialize(request), timeout: TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0, result.Stderr);
        return JsonNode.Parse(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1])!.AsObject();
    }

    private async Task<JsonObject> Boto3Async(string modelId, bool stream, string prompt)
    {
        var request = JsonSerializer.Serialize(new { endpoint = _host.BaseUrl, modelId, body = Body(prompt), stream, token = _host.AliceKey });
        var result = await ProcessRunner.RunAsync(ExternalTools.Python(), [Path.Combine(RepoPaths.Interop, "gateway", "bedrock_boto3.py")], request, null, RepoPaths.Interop, TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0, result.Stderr);
        return JsonNode.Parse(result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1])!.AsObject();
    }

    [Fact]
    public async Task Js_sdk_invoke_with_a_bearer_token_gets_the_bedrock_answer()
    {
        var result = await JsSdkAsync(GatewayTestHost.SonnetProfile, stream: false, "Invoke through the gateway");

        Assert.True((bool)result["ok"]!, result.ToJsonString());
        Assert.Equal("Invoke through the gateway", (string)result["message"]!["content"]![0]!["text"]!);
        var usage = Assert.Single(await _host.Usage.WaitAsync(1));
        Assert.Equal("bedrock", usage.InboundProtocol);
        Assert.Equal("alice", usage.Principal.UserId);
        Assert.True(usage.OutputTokens > 0);
    }

    [Fact]
    public async Task Js_sdk_stream_passes_event_stream_frames_through_with_bedrock_metrics()
    {
        var result = await JsSdkAsync(GatewayTestHost.SonnetProfile, stream: true, "Stream through the gateway frame by frame");

        Assert.True((bool)result["ok"]!, result.ToJsonString());
        Assert.Equal("Stream through the gateway frame by frame", (string)result["text"]!);
        var types = result["eventTypes"]!.AsArray().Select(t => (string)t!).ToList();
        Assert.Equal("message_start", types[0]);
        Assert.Equal("message_stop", types[^1]);
        Assert.NotNull(result["metrics"]);
        var usage = Assert.Single(await _host.Usage.WaitAsync(1));
        Assert.True(usage.Streamed);
        Assert.Equal((long)result["metrics"]!["outputTokenCount"]!, usage.OutputTokens);
    }

    [Fact]
    public async Task An_application_inference_profile_arn_in_the_path_is_decoded_and_routed()
    {
        var result = await JsSdkAsync(TeamArn, stream: true, "via the team profile");

        Assert.True((bool)result["ok"]!, result.ToJsonString());
        Assert.Equal("via the team profile", (string)result["text"]!);
        var usage = Assert.Single(await _host.Usage.WaitAsync(1));
        Assert.Equal(TeamArn, usage.UpstreamModelId);
        Assert.Equal("claude-sonnet-4-5", usage.ModelServed);
    }

    [Fact]
    public async Task An_unknown_model_gets_bedrocks_invalid_identifier_validation_error()
    {
        var result = await JsSdkAsync("us.anthropic.claude-opus-5-5", stream: true, "hi");

        Assert.False((bool)result["ok"]!);
        Assert.Equal("ValidationException", (string)result["name"]!);
        Assert.Equal(400, (int)result["status"]!);
        Assert.Equal("The provided model identifier is invalid.", (string)result["message"]!);
    }

    [Fact]
    public async Task A_wrong_bearer_token_is_refused_in_bedrock_shape_before_any_upstream_call()
    {
        var result = await JsSdkAsync(GatewayTestHost.SonnetProfile, stream: false, "hi", token: "not-a-key");

        Assert.False((bool)result["ok"]!);
        Assert.Equal(403, (int)result["status"]!);
        Assert.Equal("UnrecognizedClientException", (string)result["name"]!);
        Assert.DoesNotContain(_host.Emulator.RequestLog.Snapshot(), e => e.Operation is "InvokeModel" or "InvokeModelWithResponseStream" or "CountTokens");
    }

    [Fact]
    public async Task Boto3_invoke_and_stream_work_with_a_custom_endpoint_and_bearer_token()
    {
        var invoke = await Boto3Async(GatewayTestHost.HaikuProfile, stream: false, "boto3 invoke");
        var stream = await Boto3Async(GatewayTestHost.HaikuProfile, stream: true, "boto3 stream");

        Assert.True((bool)invoke["ok"]!, invoke.ToJsonString());
        Assert.Equal("boto3 invoke", (string)invoke["text"]!);
        Assert.True((bool)stream["ok"]!, stream.ToJsonString());
        Assert.Equal("boto3 stream", (string)stream["text"]!);
        Assert.Equal("message_stop", (string)stream["eventTypes"]!.AsArray()[^1]!);
    }

    [Fact]
    public async Task Count_tokens_passes_through_to_bedrock()
    {
        using var client = _host.Client();
        var body = JsonSerializer.SerializeToUtf8Bytes(Body("count these tokens please"));
        var payload = JsonSerializer.Serialize(new { input = new { invokeModel = new { body = Convert.ToBase64String(body) } } });
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/model/{Uri.EscapeDataString(GatewayTestHost.SonnetProfile)}/count-tokens") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _host.AliceKey);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(doc.RootElement.GetProperty("inputTokens").GetInt32() > 0);
    }

    [Fact]
    public async Task Model_discovery_lists_the_callers_models_answers_an_anonymous_call_with_none_and_refuses_a_wrong_key()
    {
        using var client = _host.Client();
        using var anonymous = await client.GetAsync("/inference-profiles?type=SYSTEM_DEFINED");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/inference-profiles?type=SYSTEM_DEFINED");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _host.BobKey);
        using var bob = await client.SendAsync(request);
        using var models = new HttpRequestMessage(HttpMethod.Get, "/foundation-models");
        models.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _host.AliceKey);
        using var alice = await client.SendAsync(models);

        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/inference-profiles?type=SYSTEM_DEFINED");
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "bsk_not_a_key");
        using var refused = await client.SendAsync(wrong);

        // No credential at all (Claude Code's start-up call): an empty list, nothing disclosed; a wrong one: 403.
        Assert.Equal(HttpStatusCode.OK, anonymous.StatusCode);
        Assert.Empty(JsonNode.Parse(await anonymous.Content.ReadAsStringAsync())!["inferenceProfileSummaries"]!.AsArray());
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.StartsWith("AccessDeniedException", refused.Headers.GetValues("x-amzn-ErrorType").Single(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, bob.StatusCode);
        var profiles = JsonNode.Parse(await bob.Content.ReadAsStringAsync())!["inferenceProfileSummaries"]!.AsArray();
        Assert.Equal([GatewayTestHost.HaikuProfile], profiles.Select(p => (string)p!["inferenceProfileId"]!));
        var summaries = JsonNode.Parse(await alice.Content.ReadAsStringAsync())!["modelSummaries"]!.AsArray();
        Assert.Contains(summaries, s => (string)s!["modelId"]! == "anthropic.claude-sonnet-4-5-20250929-v1:0");
    }
}
