using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Basalt.Gateway.Tests.TestSupport;

namespace Basalt.Gateway.Tests.Hosting;

/// <summary>The gateway's request limits through the real host (issue 8 item 6), each refused with a clear error in the caller's format.</summary>
public sealed class RequestLimitTests
{
    [Fact]
    public async Task A_body_over_max_body_bytes_is_refused_with_413_in_anthropics_error_shape_and_never_reaches_bedrock()
    {
        await using var host = await GatewayTestHost.StartAsync(new GatewayTestOptions { MaxBodyBytes = 4096 });
        using var client = host.Client(host.AliceKey);
        var body = $"{{\"model\":\"sonnet\",\"max_tokens\":64,\"messages\":[{{\"role\":\"user\",\"content\":\"{new string('x', 8192)}\"}}]}}";

        using var response = await client.PostAsync("/v1/messages", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("error", (string)error["type"]!);
        Assert.Equal("request_too_large", (string)error["error"]!["type"]!);
        Assert.Contains("4096 bytes", (string)error["error"]!["message"]!, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Emulator.RequestLog.Snapshot(), e => e.ModelId is not null);
    }

    [Fact]
    public async Task A_bedrock_format_body_over_the_limit_is_refused_with_413_in_bedrocks_shape()
    {
        await using var host = await GatewayTestHost.StartAsync(new GatewayTestOptions { MaxBodyBytes = 4096 });
        using var client = host.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/model/{Uri.EscapeDataString(GatewayTestHost.SonnetProfile)}/invoke")
        {
            Content = new StringContent($"{{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":8,\"messages\":[{{\"role\":\"user\",\"content\":\"{new string('y', 8192)}\"}}]}}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", host.AliceKey);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.StartsWith("ValidationException", response.Headers.GetValues("x-amzn-ErrorType").Single(), StringComparison.Ordinal);
        Assert.DoesNotContain(host.Emulator.RequestLog.Snapshot(), e => e.ModelId is not null);
    }

    [Fact]
    public async Task A_stream_over_max_concurrent_streams_gets_429_rate_limit_error_with_retry_after_and_the_open_stream_finishes()
    {
        await using var host = await GatewayTestHost.StartAsync(new GatewayTestOptions { MaxConcurrentStreams = 1, ExtraBedrockYaml = "  pacing:\n    tokensPerSecond: 20" });
        using var client = host.Client(host.AliceKey);
        var first = host.StreamAsync("a reply long enough to keep the one allowed stream open for a while, word after word after word");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (host.Gateway.Handler.OpenStreams == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Equal(1, host.Gateway.Handler.OpenStreams);
        var body = "{\"model\":\"sonnet\",\"max_tokens\":64,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"second\"}]}";
        using var refused = await client.PostAsync("/v1/messages", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal((HttpStatusCode)429, refused.StatusCode);
        Assert.Equal("1", refused.Headers.GetValues("retry-after").Single());
        var error = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.Equal("rate_limit_error", (string)error["error"]!["type"]!);
        Assert.Contains("concurrent streams", (string)error["error"]!["message"]!, StringComparison.Ordinal);
        var result = await first;
        Assert.Equal(200, result.Status);
        Assert.Equal("message_stop", result.Events[^1]);
        Assert.Equal(0, host.Gateway.Handler.OpenStreams);
    }
}
