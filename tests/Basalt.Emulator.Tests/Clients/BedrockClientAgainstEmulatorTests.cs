using System.Text;
using System.Text.Json;
using Basalt.Aws;
using Basalt.Bedrock;
using Basalt.Emulator.Tests.Bedrock;

namespace Basalt.Emulator.Tests.Clients;

/// <summary>Basalt's own Bedrock clients against the emulator: every request they send must verify there.</summary>
public sealed class BedrockClientAgainstEmulatorTests
{
    private static BedrockClientOptions Options(BedrockHost host, BedrockAuth auth) => new()
    {
        Region = "us-east-1",
        Auth = auth,
        RuntimeEndpoint = host.BaseAddress,
        ControlPlaneEndpoint = host.BaseAddress,
        Retry = BedrockRetryOptions.NoRetry,
    };

    private static AwsCredentials Alice(BedrockHost host) => new(host.Org.AliceKeyId, host.Org.AliceSecret);

    private static BedrockInvokeRequest Invoke(string prompt, string model = "us.anthropic.claude-sonnet-4-5-20250929-v1:0") => new()
    {
        ModelId = model,
        Body = BedrockAnthropicBody.FromMessagesRequest(Encoding.UTF8.GetBytes($$"""{"model":"claude","stream":true,"max_tokens":256,"messages":[{"role":"user","content":{{JsonSerializer.Serialize(prompt)}}}]}"""), ["interleaved-thinking-2025-05-14"]),
        ServiceTier = "default",
        PerformanceConfigLatency = "standard",
    };

    [Fact]
    public async Task InvokeModel_signed_with_SigV4_is_answered()
    {
        await using var host = await BedrockHost.StartAsync();
        using var http = new HttpClient();
        var client = new BedrockRuntimeClient(http, Options(host, BedrockAuth.SigV4(Alice(host))));

        var response = await client.InvokeModelAsync(Invoke("Say hello"));

        Assert.Equal(200, response.StatusCode);
        using var doc = JsonDocument.Parse(response.Body);
        Assert.Equal("message", doc.RootElement.GetProperty("type").GetString());
        Assert.NotNull(response.RequestId);
    }

    [Fact]
    public async Task Streamed_invocation_yields_typed_anthropic_events()
    {
        await using var host = await BedrockHost.StartAsync();
        using var http = new HttpClient();
        var client = new BedrockRuntimeClient(http, Options(host, BedrockAuth.SigV4(Alice(host) with { })));

        await using var stream = await client.InvokeModelWithResponseStreamAsync(Invoke("Tell me a story"));
        var types = new List<string?>();
        await foreach (var e in stream.ReadEventsAsync())
        {
            Assert.Equal(BedrockStreamEventKind.Chunk, e.Kind);
            Assert.False(e.RawFrame.IsEmpty);
            types.Add(e.EventType);
        }

        Assert.Equal("application/vnd.amazon.eventstream", stream.ContentType);
        Assert.Equal("message_start", types[0]);
        Assert.Equal("message_stop", types[^1]);
        Assert.Contains("content_block_delta", types);
    }

    [Fact]
    public async Task Short_term_api_key_minted_from_alices_credentials_is_accepted()
    {
        await using var host = await BedrockHost.StartAsync();
        using var http = new HttpClient();
        var key = BedrockApiKey.Mint(Alice(host), "us-east-1", TimeSpan.FromHours(1), DateTimeOffset.UtcNow);
        var client = new BedrockRuntimeClient(http, Options(host, BedrockAuth.ApiKey(key)));

        var tokens = await client.CountTokensAsync("us.anthropic.claude-sonnet-4-5-20250929-v1:0", Invoke("count me").Body);

        Assert.True(tokens > 0);
    }

    [Fact]
    public async Task Long_term_api_key_is_accepted()
    {
        await using var host = await BedrockHost.StartAsync();
        using var http = new HttpClient();
        var client = new BedrockRuntimeClient(http, Options(host, BedrockAuth.ApiKey(host.Org.BobApiKey)));

        var response = await client.InvokeModelAsync(Invoke("hi", "global.anthropic.claude-sonnet-4-5-20250929-v1:0"));

        Assert.Equal(200, response.StatusCode);
    }

    [Fact]
    public async Task A_wrong_secret_is_a_typed_403_with_the_emulators_body()
    {
        await using var host = await BedrockHost.StartAsync();
        using var http = new HttpClient();
        var client = new BedrockRuntimeClient(http, Options(host, BedrockAuth.SigV4(Alice(host) with { SecretAccessKey = "wrong" })));

        var error = await Assert.ThrowsAsync<BedrockException>(() => client.InvokeModelAsync(Invoke("hi")));

        Assert.Equal(403, error.StatusCode);
        Assert.Equal("InvalidSignatureException", error.ErrorType);
        Assert.Contains("signature", error.ResponseBody, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_unknown_key_is_UnrecognizedClientException()
    {
        await using var host = await BedrockHost.StartAsync();
        using var http = new HttpClient();
        var client = new BedrockRuntimeClient(http, Options(host, BedrockAuth.SigV4(new AwsCredentials("AKIAUNKNOWNEXAMPLE00", "x"))));

        var error = await Assert.ThrowsAsync<BedrockException>(() => client.InvokeModelAsync(Invoke("hi")));

        Assert.Equal((403, "UnrecognizedClientException"), (error.StatusCode, error.ErrorType));
    }

    [Fact]
    public async Task Control_plane_listing_paginates_and_discovery_finds_claude_models()
    {
        await using var host = await BedrockHost.StartAsync();
        using var http = new HttpClient();
        var client = new BedrockControlPlaneClient(http, Options(host, BedrockAuth.SigV4(Alice(host))));

        var first = await client.ListInferenceProfilesPageAsync("SYSTEM_DEFINED", maxResults: 2);
        var all = new List<BedrockInferenceProfile>();
        await foreach (var p in client.ListInferenceProfilesAsync("SYSTEM_DEFINED"))
        {
            all.Add(p);
        }

        var paged = new List<BedrockInferenceProfile>(first.Items);
        var token = first.NextToken;
        while (token is not null)
        {
            var page = await client.ListInferenceProfilesPageAsync("SYSTEM_DEFINED", token, 2);
            paged.AddRange(page.Items);
            token = page.NextToken;
        }

        Assert.Equal(2, first.Items.Count);
        Assert.NotNull(first.NextToken);
        Assert.Equal(all.Select(p => p.Id), paged.Select(p => p.Id));
        var models = new List<BedrockFoundationModel>();
        await foreach (var m in client.ListFoundationModelsAsync("Anthropic"))
        {
            models.Add(m);
        }

        Assert.NotEmpty(models);
        var discovered = await client.DiscoverClaudeModelsAsync();
        Assert.NotEmpty(discovered);
        Assert.All(discovered, o => Assert.StartsWith("anthropic.claude", o.FoundationModelId, StringComparison.Ordinal));
        Assert.DoesNotContain(discovered, o => o.Id.StartsWith("eu.", StringComparison.Ordinal));
    }
}
