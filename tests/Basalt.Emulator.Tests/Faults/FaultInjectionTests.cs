using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Basalt.Emulator.Faults;
using Basalt.Emulator.Tests.Bedrock;

namespace Basalt.Emulator.Tests.Faults;

public sealed class FaultInjectionTests
{
    private const string Invoke = "model/us.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke";
    private const string Stream = "model/us.anthropic.claude-sonnet-4-5-20250929-v1:0/invoke-with-response-stream";

    [Theory]
    [InlineData("throttle", 429, "ThrottlingException")]
    [InlineData("429", 429, "ThrottlingException")]
    [InlineData("internal-error", 500, "InternalServerException")]
    [InlineData("503", 503, "ServiceUnavailableException")]
    [InlineData("expired-token", 403, "ExpiredTokenException")]
    [InlineData("model-not-ready", 429, "ModelNotReadyException")]
    [InlineData("model-timeout", 408, "ModelTimeoutException")]
    public async Task Header_faults_answer_in_bedrocks_error_shape_and_are_logged(string fault, int status, string code)
    {
        await using var host = await BedrockHost.StartAsync();
        using var response = await SendAsync(host, Invoke, fault);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(code, response.Headers.GetValues("x-amzn-ErrorType").Single().Split(':')[0]);
        Assert.False(string.IsNullOrEmpty((string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["message"]));
        Assert.False(response.Headers.Contains("Retry-After"));
        var entry = Assert.Single(host.Log.Snapshot());
        Assert.Equal(("bedrock", "InvokeModel", code, status), (entry.Service, entry.Operation, entry.Outcome, entry.StatusCode));
    }

    [Fact]
    public async Task Throttling_can_carry_retry_after()
    {
        await using var host = await BedrockHost.StartAsync();
        using var response = await SendAsync(host, Invoke, "throttle; retry-after=7");
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter!.Delta);
    }

    [Fact]
    public async Task Sts_faults_are_awsquery_xml_and_unfaulted_calls_reach_sts()
    {
        await using var host = await BedrockHost.StartAsync();
        var form = () => new FormUrlEncodedContent([new("Action", "GetCallerIdentity"), new("Version", "2011-06-15")]);
        using var faulted = new HttpRequestMessage(HttpMethod.Post, "/") { Content = form() };
        faulted.Headers.Add(FaultSpec.HeaderName, "503");
        using var anonymous = new HttpClient { BaseAddress = host.BaseAddress };
        using var response = await anonymous.SendAsync(faulted);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var xml = XDocument.Parse(await response.Content.ReadAsStringAsync());
        XNamespace ns = "https://sts.amazonaws.com/doc/2011-06-15/";
        Assert.Equal("ServiceUnavailable", xml.Root!.Element(ns + "Error")!.Element(ns + "Code")!.Value);

        using var throttled = new HttpRequestMessage(HttpMethod.Post, "/") { Content = form() };
        throttled.Headers.Add(FaultSpec.HeaderName, "throttle");
        using var throttledResponse = await anonymous.SendAsync(throttled);
        Assert.Equal(HttpStatusCode.TooManyRequests, throttledResponse.StatusCode);
        Assert.Contains("<Code>Throttling</Code>", await throttledResponse.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Without the header the request reaches STS itself, which refuses the unsigned call.
        using var plain = await anonymous.PostAsync("/", form());
        Assert.Equal(HttpStatusCode.Forbidden, plain.StatusCode);
        Assert.Equal(["ServiceUnavailable", "Throttling", "MissingAuthenticationToken"], host.Log.Snapshot().Select(e => e.Outcome));
    }

    [Fact]
    public async Task Identity_center_faults_use_the_oidc_and_portal_shapes()
    {
        await using var host = await BedrockHost.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = host.BaseAddress };
        using var token = new HttpRequestMessage(HttpMethod.Post, "token") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        token.Headers.Add(FaultSpec.HeaderName, "500");
        using var tokenResponse = await anonymous.SendAsync(token);
        Assert.Equal(HttpStatusCode.InternalServerError, tokenResponse.StatusCode);
        Assert.Equal("InternalServerException", tokenResponse.Headers.GetValues("x-amzn-ErrorType").Single());
        Assert.Equal("server_error", (string?)JsonNode.Parse(await tokenResponse.Content.ReadAsStringAsync())!["error"]);

        using var portal = new HttpRequestMessage(HttpMethod.Get, "federation/credentials?role_name=r&account_id=111122223333");
        portal.Headers.Add(FaultSpec.HeaderName, "throttle; retry-after=1");
        using var portalResponse = await anonymous.SendAsync(portal);
        Assert.Equal(HttpStatusCode.TooManyRequests, portalResponse.StatusCode);
        Assert.Equal("TooManyRequestsException", portalResponse.Headers.GetValues("x-amzn-ErrorType").Single());
        Assert.Equal(["sso-oidc", "sso"], host.Log.Snapshot().Select(e => e.Service));
    }

    [Fact]
    public async Task A_rule_with_times_fails_the_first_calls_then_lets_them_through()
    {
        await using var host = await BedrockHost.StartAsync("""
            faults:
              rules:
                - fault: "503"
                  services: [bedrock-runtime]
                  operations: [InvokeModel]
                  times: 2
            """);
        var statuses = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await host.Client.PostAsync(Invoke, BedrockHost.Json(BedrockHost.Body("hi")));
            statuses.Add((int)response.StatusCode);
        }

        using var list = await host.Client.GetAsync("inference-profiles");
        Assert.Equal([503, 503, 200, 200], statuses);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }

    [Fact]
    public void Percentage_rules_follow_a_deterministic_seeded_sequence()
    {
        var options = BedrockYamlTestData.Faults("""
            faults:
              seed: 42
              rules:
                - fault: throttle
                  percent: 30
            """, out var diagnostics);
        Assert.Empty(diagnostics);
        var operation = new EmulatedOperation(EmulatedService.BedrockRuntime, "InvokeModel");
        var first = Enumerable.Range(0, 200).Select(_ => new FaultInjector(options)).First();
        var a = Enumerable.Range(0, 200).Select(_ => first.FromRules(operation) is not null).ToList();
        var second = new FaultInjector(options);
        var b = Enumerable.Range(0, 200).Select(_ => second.FromRules(operation) is not null).ToList();
        var other = new FaultInjector(options with { Seed = 43 });
        var c = Enumerable.Range(0, 200).Select(_ => other.FromRules(operation) is not null).ToList();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.InRange(a.Count(x => x), 40, 80);
        Assert.Null(second.FromRules(EmulatedOperation.None));
    }

    [Fact]
    public async Task An_exception_frame_arrives_mid_stream_after_the_given_frames()
    {
        await using var host = await BedrockHost.StartAsync();
        using var response = await host.PostHeadersAsync(Stream, BedrockHost.Body("a fairly long prompt that makes several deltas for the stream"), r => r.Headers.Add(FaultSpec.HeaderName, "stream-exception; after=3; type=modelStreamErrorException"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var frames = await StreamEvents.ReadFramesAsync(response);
        Assert.Equal(4, frames.Count);
        Assert.All(frames.Take(3), f => Assert.Equal("event", f.MessageType));
        var exception = frames[3];
        Assert.Equal(("exception", "modelStreamErrorException", "application/json"), (exception.MessageType, exception.ExceptionType, exception.ContentType));
        Assert.False(string.IsNullOrEmpty((string?)JsonNode.Parse(exception.Payload.Span)!["message"]));
        Assert.Equal("ModelStreamErrorException", Assert.Single(host.Log.Snapshot()).Outcome);
    }

    [Fact]
    public async Task A_reset_aborts_the_connection_mid_stream()
    {
        await using var host = await BedrockHost.StartAsync();
        var frames = new List<Basalt.Aws.EventStream.EventStreamMessage>();
        var error = await Record.ExceptionAsync(async () =>
        {
            using var response = await host.PostHeadersAsync(Stream, BedrockHost.Body("reset me please, this is long enough"), r => r.Headers.Add(FaultSpec.HeaderName, "reset; after=2"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await using var body = await response.Content.ReadAsStreamAsync();
            await foreach (var frame in Basalt.Aws.EventStream.EventStreamDecoder.ReadAllAsync(body))
            {
                frames.Add(frame);
            }
        });

        // The stream never ends cleanly: the client sees a reset (with at most the frames sent before it).
        Assert.True(error is IOException or HttpRequestException, $"expected a connection error, got {error?.GetType().Name ?? "a clean end"}");
        Assert.True(frames.Count <= 2);
        Assert.Equal("ConnectionReset", Assert.Single(host.Log.Snapshot()).Outcome);
    }

    [Fact]
    public async Task A_reset_on_a_non_stream_call_drops_the_connection_before_any_byte()
    {
        await using var host = await BedrockHost.StartAsync();
        await Assert.ThrowsAsync<HttpRequestException>(() => SendAsync(host, Invoke, "reset"));
        Assert.Equal("ConnectionReset", Assert.Single(host.Log.Snapshot()).Outcome);
    }

    [Fact]
    public async Task A_bounded_stall_pauses_the_stream_then_it_completes()
    {
        await using var host = await BedrockHost.StartAsync();
        var watch = Stopwatch.StartNew();
        using var response = await host.PostHeadersAsync(Stream, BedrockHost.Body("stall"), r => r.Headers.Add(FaultSpec.HeaderName, "stall; after=2; ms=400"));
        var events = (await StreamEvents.ReadFramesAsync(response)).Select(StreamEvents.Event).ToList();
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(390), $"took {watch.Elapsed}");
        Assert.Equal("message_stop", (string?)events[^1]["type"]);
    }

    [Fact]
    public async Task An_open_stall_holds_the_stream_until_the_client_gives_up()
    {
        await using var host = await BedrockHost.StartAsync();
        using var response = await host.PostHeadersAsync(Stream, BedrockHost.Body("stall"), r => r.Headers.Add(FaultSpec.HeaderName, "stall; after=1"));
        await using var body = await response.Content.ReadAsStreamAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(700));
        var buffer = new byte[65536];
        var read = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            while (true)
            {
                var n = await body.ReadAsync(buffer.AsMemory(read), cts.Token);
                Assert.True(n > 0, "the stream must not end while stalled");
                read += n;
            }
        });
        Assert.True(read > 0, "the first frame arrives before the stall");
    }

    [Fact]
    public async Task A_slow_first_byte_delays_the_whole_response()
    {
        await using var host = await BedrockHost.StartAsync();
        var watch = Stopwatch.StartNew();
        using var response = await SendAsync(host, Invoke, "slow-first-byte; ms=300");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(290), $"answered after {watch.Elapsed}");
    }

    [Fact]
    public async Task A_malformed_fault_header_is_rejected_with_the_accepted_syntax()
    {
        await using var host = await BedrockHost.StartAsync();
        using var response = await SendAsync(host, Invoke, "explode");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("unknown fault 'explode'", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["message"], StringComparison.Ordinal);
        using var badParam = await SendAsync(host, Invoke, "throttle; after=x");
        Assert.Equal(HttpStatusCode.BadRequest, badParam.StatusCode);
    }

    [Fact]
    public void Fault_options_report_bad_rules()
    {
        BedrockYamlTestData.Faults("""
            faults:
              seed: 7
              rules:
                - fault: meltdown
                - fault: throttle
                  services: [lambda]
                - fault: "500"
                  percent: 150
            """, out var diagnostics);
        Assert.Equal(["EMU3011", "EMU3012", "EMU3014"], diagnostics.Select(d => d.Code));
        Assert.Equal([4, 6, 8], diagnostics.Select(d => d.Location!.Line));
    }

    private static Task<HttpResponseMessage> SendAsync(BedrockHost host, string path, string fault)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = BedrockHost.Json(BedrockHost.Body("hi")) };
        request.Headers.Add(FaultSpec.HeaderName, fault);
        return host.Client.SendAsync(request);
    }
}
