using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Basalt.Emulator.Tests.Bedrock;

/// <summary>
/// The emulator's second listener: the same app over cleartext HTTP/2 with prior knowledge (h2c), which is what
/// clients defaulting to HTTP/2 (the JS SDK's NodeHttp2Handler) open against an http:// endpoint.
/// </summary>
public sealed class Http2ListenerTests
{
    [Fact]
    public async Task Http2_only_client_lists_foundation_models_on_the_http2_address()
    {
        await using var host = await BedrockHost.StartAsync();
        Assert.NotEqual(host.BaseAddress.Port, host.Http2BaseAddress.Port);
        using var client = Http2Client(host);

        using var response = await client.GetAsync("foundation-models");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
        var overHttp2 = ModelIds(await response.Content.ReadAsStringAsync());
        Assert.Equal("arn:aws:iam::111122223333:user/finance/bob", Assert.Single(host.Log.Snapshot()).PrincipalArn);

        // The same app answers on both listeners: the HTTP/1.1 address lists the same models, Sonnet 4.5 among them.
        using var http1 = await host.Client.GetAsync("foundation-models");
        Assert.Equal(ModelIds(await http1.Content.ReadAsStringAsync()), overHttp2);
        Assert.Contains("anthropic.claude-sonnet-4-5-20250929-v1:0", overHttp2);
    }

    [Fact]
    public async Task Http1_address_does_not_answer_an_http2_only_client_so_the_listeners_differ()
    {
        await using var host = await BedrockHost.StartAsync();
        using var client = Http2Client(host);
        client.BaseAddress = host.BaseAddress;

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("foundation-models"));
    }

    private static List<string?> ModelIds(string json)
        => [.. JsonNode.Parse(json)!["modelSummaries"]!.AsArray().Select(m => (string?)m!["modelId"])];

    private static HttpClient Http2Client(BedrockHost host)
    {
        var client = new HttpClient
        {
            BaseAddress = host.Http2BaseAddress,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Timeout = TimeSpan.FromSeconds(30),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", host.Org.BobApiKey);
        return client;
    }
}
