using System.Net;
using System.Net.Sockets;
using System.Text;
using Basalt.Aws;
using Basalt.Aws.EventStream;
using Basalt.Bedrock;

namespace Basalt.Tests.Bedrock;

/// <summary>
/// The runtime client on a real loopback socket, for what the emulator cannot show: the exact bytes HttpClient
/// put on the wire (they must verify), retry decisions, a stream cut mid-way, and a cancelled stream closing the
/// upstream connection.
/// </summary>
public sealed class BedrockRuntimeClientWireTests
{
    private static readonly AwsCredentials Creds = new("AKIDWIRE", "wire-secret", "wire/session+token=");
    private static readonly byte[] Body = BedrockAnthropicBody.FromMessagesRequest("""{"model":"x","max_tokens":8,"messages":[{"role":"user","content":"héllo"}]}"""u8);
    private static readonly BedrockRetryOptions FastRetry = new() { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(5) };

    private static BedrockRuntimeClient Client(HttpClient http, Uri endpoint, BedrockAuth? auth = null, BedrockRetryOptions? retry = null)
        => new(http, new BedrockClientOptions { Region = "us-west-2", Auth = auth ?? BedrockAuth.SigV4(Creds), RuntimeEndpoint = endpoint, Retry = retry ?? FastRetry });

    private static BedrockInvokeRequest Invoke(string modelId = "us.anthropic.claude-sonnet-4-5-20250929-v1:0") => new()
    {
        ModelId = modelId,
        Body = Body,
        ServiceTier = "priority",
        GuardrailIdentifier = "gr-1",
        GuardrailVersion = "DRAFT",
        PerformanceConfigLatency = "optimized",
    };

    private static async Task<SigV4VerificationResult> Verify(RawHttpFixture.RawRequest request)
        => await new SigV4Verifier().VerifyAsync(request.ToSigV4(), (id, _) => ValueTask.FromResult(id == Creds.AccessKeyId ? Creds.SecretAccessKey : null), DateTimeOffset.UtcNow);

    [Fact]
    public async Task Requests_on_the_wire_carry_the_bedrock_headers_and_verify()
    {
        await using var server = new RawHttpFixture(async (req, _, stream, ct) =>
            await stream.WriteAsync(RawHttpFixture.Response(200, "OK", [("Content-Type", "application/json"), ("x-amzn-RequestId", "req-1"), ("x-amzn-bedrock-input-token-count", "12"), ("x-amzn-bedrock-output-token-count", "3")], "{\"content\":[]}"u8.ToArray()), ct));
        using var http = new HttpClient();

        var response = await Client(http, server.BaseAddress).InvokeModelAsync(Invoke("arn:aws:bedrock:us-west-2:123456789012:application-inference-profile/abc"));

        var request = Assert.Single(server.Requests);
        Assert.Equal("/model/arn%3Aaws%3Abedrock%3Aus-west-2%3A123456789012%3Aapplication-inference-profile%2Fabc/invoke", request.Path);
        Assert.Equal("priority", request.Header("X-Amzn-Bedrock-Service-Tier"));
        Assert.Equal("gr-1", request.Header("X-Amzn-Bedrock-GuardrailIdentifier"));
        Assert.Equal("DRAFT", request.Header("X-Amzn-Bedrock-GuardrailVersion"));
        Assert.Equal("optimized", request.Header("X-Amzn-Bedrock-PerformanceConfig-Latency"));
        Assert.Equal("application/json", request.Header("Accept"));
        Assert.Equal("wire/session+token=", request.Header("X-Amz-Security-Token"));
        Assert.Equal(Body, request.Body);
        var verified = await Verify(request);
        Assert.True(verified.IsValid, verified.Message + "\n" + verified.CanonicalRequest);
        Assert.Equal(("req-1", 12, 3), (response.RequestId, response.InputTokenCount, response.OutputTokenCount));
        Assert.Equal("{\"content\":[]}", Encoding.UTF8.GetString(response.Body.Span));
    }

    [Fact]
    public async Task Throttling_is_retried_after_retry_after_and_each_attempt_is_signed_afresh()
    {
        await using var server = new RawHttpFixture(async (req, index, stream, ct) =>
        {
            var answer = index == 0
                ? RawHttpFixture.Response(429, "Too Many Requests", [("X-Amzn-ErrorType", "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/"), ("retry-after-ms", "30")], "{\"message\":\"slow down\"}"u8.ToArray())
                : index == 1
                    ? RawHttpFixture.Response(503, "Service Unavailable", [("X-Amzn-ErrorType", "ServiceUnavailableException")], "{\"message\":\"later\"}"u8.ToArray())
                    : RawHttpFixture.Response(200, "OK", [("Content-Type", "application/json")], "{}"u8.ToArray());
            await stream.WriteAsync(answer, ct);
        });
        using var http = new HttpClient();
        var started = DateTime.UtcNow;

        var response = await Client(http, server.BaseAddress).InvokeModelAsync(Invoke());

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(3, server.Requests.Count);
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(30));
        foreach (var request in server.Requests)
        {
            Assert.True((await Verify(request)).IsValid);
            Assert.Single(request.Headers, h => h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public async Task A_client_error_is_not_retried_and_keeps_status_type_and_body()
    {
        const string body = "{\"message\":\"Malformed input request: extraneous key [foo] is not permitted, please reformat your input and try again.\"}";
        await using var server = new RawHttpFixture(async (req, _, stream, ct) =>
            await stream.WriteAsync(RawHttpFixture.Response(400, "Bad Request", [("X-Amzn-ErrorType", "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/"), ("x-amzn-RequestId", "req-400"), ("Content-Type", "application/json")], Encoding.UTF8.GetBytes(body)), ct));
        using var http = new HttpClient();

        var error = await Assert.ThrowsAsync<BedrockException>(() => Client(http, server.BaseAddress).InvokeModelAsync(Invoke()));

        Assert.Single(server.Requests);
        Assert.Equal((400, "ValidationException", body, "req-400"), (error.StatusCode, error.ErrorType, error.ResponseBody, error.RequestId));
        Assert.StartsWith("ValidationException:http://", error.RawErrorType, StringComparison.Ordinal);
        Assert.Contains("extraneous key", error.Message, StringComparison.Ordinal);
        Assert.False(error.IsRetryable);
    }

    [Fact]
    public async Task Retries_stop_after_max_attempts_with_the_last_error()
    {
        await using var server = new RawHttpFixture(async (req, _, stream, ct) =>
            await stream.WriteAsync(RawHttpFixture.Response(500, "Internal Server Error", [("X-Amzn-ErrorType", "InternalServerException")], "{\"message\":\"oops\"}"u8.ToArray()), ct));
        using var http = new HttpClient();

        var error = await Assert.ThrowsAsync<BedrockException>(() => Client(http, server.BaseAddress).InvokeModelAsync(Invoke()));

        Assert.Equal(3, server.Requests.Count);
        Assert.Equal((500, "InternalServerException"), (error.StatusCode, error.ErrorType));
    }

    [Fact]
    public async Task A_refused_connection_before_any_byte_is_retried()
    {
        await using var server = new RawHttpFixture(async (req, _, stream, ct) =>
            await stream.WriteAsync(RawHttpFixture.Response(200, "OK", [("Content-Type", "application/json")], "{}"u8.ToArray()), ct));
        var connects = 0;
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                if (Interlocked.Increment(ref connects) == 1)
                {
                    throw new SocketException((int)SocketError.ConnectionRefused);
                }

                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var http = new HttpClient(handler);

        var response = await Client(http, server.BaseAddress).InvokeModelAsync(Invoke());

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(2, connects);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task A_stream_cut_after_the_first_frame_fails_without_a_retry()
    {
        var first = EventStreamEncoder.Encode(Chunk("{\"type\":\"message_start\"}"));
        var second = EventStreamEncoder.Encode(Chunk("{\"type\":\"content_block_start\"}"));
        await using var server = new RawHttpFixture(async (req, _, stream, ct) =>
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/vnd.amazon.eventstream\r\nX-Amzn-Bedrock-Content-Type: application/json\r\nConnection: close\r\n\r\n"), ct);
            await stream.WriteAsync(first, ct);
            await stream.WriteAsync(second.AsMemory(0, 20), ct);
        });
        using var http = new HttpClient();

        await using var response = await Client(http, server.BaseAddress).InvokeModelWithResponseStreamAsync(Invoke());
        var events = new List<BedrockStreamEvent>();
        var error = await Assert.ThrowsAsync<EventStreamException>(async () =>
        {
            await foreach (var e in response.ReadEventsAsync())
            {
                events.Add(e);
            }
        });

        Assert.Equal(EventStreamErrorCode.Truncated, error.Code);
        Assert.Equal("message_start", Assert.Single(events).EventType);
        Assert.Single(server.Requests);
        Assert.Equal("application/json", server.Requests[0].Header("X-Amzn-Bedrock-Accept"));
        Assert.Equal("/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/invoke-with-response-stream", server.Requests[0].Path);
    }

    [Fact]
    public async Task Cancelling_a_stream_closes_the_upstream_connection()
    {
        RawHttpFixture? fixture = null;
        await using var server = fixture = new RawHttpFixture(async (req, _, stream, ct) =>
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/vnd.amazon.eventstream\r\nTransfer-Encoding: chunked\r\n\r\n"), ct);
            var frame = EventStreamEncoder.Encode(Chunk("{\"type\":\"message_start\"}"));
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"{frame.Length:x}\r\n"), ct);
            await stream.WriteAsync(frame, ct);
            await stream.WriteAsync("\r\n"u8.ToArray(), ct);
            await stream.FlushAsync(ct);

            // The model would keep going; the test only watches for the client hanging up.
            var buffer = new byte[1];
            try
            {
                while (await stream.ReadAsync(buffer, ct) > 0)
                {
                }
            }
            catch (IOException)
            {
            }

            fixture!.ClientClosed.TrySetResult();
        });
        using var http = new HttpClient();
        using var cts = new CancellationTokenSource();

        var response = await Client(http, server.BaseAddress).InvokeModelWithResponseStreamAsync(Invoke(), cts.Token);
        var read = new List<string?>();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var e in response.ReadEventsAsync(cts.Token))
            {
                read.Add(e.EventType);
                await cts.CancelAsync();
            }
        });
        await response.DisposeAsync();

        Assert.Equal(["message_start"], read);
        await server.ClientClosed.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_bedrock_api_key_travels_as_a_bearer_token()
    {
        await using var server = new RawHttpFixture(async (req, _, stream, ct) =>
            await stream.WriteAsync(RawHttpFixture.Response(200, "OK", [("Content-Type", "application/json")], "{\"inputTokens\":42}"u8.ToArray()), ct));
        using var http = new HttpClient();
        var key = BedrockApiKey.Mint(Creds, "us-west-2", TimeSpan.FromHours(1), DateTimeOffset.UtcNow);

        var tokens = await Client(http, server.BaseAddress, BedrockAuth.ApiKey(key)).CountTokensAsync("anthropic.claude-sonnet-4-5-20250929-v1:0", Body);

        Assert.Equal(42, tokens);
        var request = Assert.Single(server.Requests);
        Assert.Equal("Bearer " + key, request.Header("Authorization"));
        Assert.Null(request.Header("X-Amz-Date"));
        Assert.Equal("/model/anthropic.claude-sonnet-4-5-20250929-v1%3A0/count-tokens", request.Path);
        Assert.Equal($"{{\"input\":{{\"invokeModel\":{{\"body\":\"{Convert.ToBase64String(Body)}\"}}}}}}", Encoding.UTF8.GetString(request.Body));
    }

    private static EventStreamMessage Chunk(string json)
        => EventStreamMessage.Event("chunk", Encoding.UTF8.GetBytes($"{{\"bytes\":\"{Convert.ToBase64String(Encoding.UTF8.GetBytes(json))}\"}}"));
}
