using System.Net.Http.Headers;
using System.Text;
using Basalt.Diagnostics;
using Basalt.Emulator.Bedrock;
using Basalt.Emulator.Faults;
using Basalt.Emulator.Hosting;
using Basalt.Emulator.Logging;
using Basalt.Emulator.Tests.TestSupport;
using Basalt.Diagnostics.Reading;

namespace Basalt.Emulator.Tests.Bedrock;

/// <summary>
/// The real emulator (<see cref="EmulatorServer"/>) on a loopback port over <see cref="TestOrg"/>'s identities, with
/// the <c>bedrock:</c> and <c>faults:</c> sections parsed from YAML by their own parsers, as the emulator's file
/// loader does. <see cref="Client"/> is authenticated as bob with his Bedrock API key.
/// </summary>
public sealed class BedrockHost : IAsyncDisposable
{
    private readonly EmulatorServer _server;

    private BedrockHost(EmulatorServer server, TestOrg org)
    {
        _server = server;
        Org = org;
        Client = new HttpClient { BaseAddress = server.BaseAddress };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", org.BobApiKey);
    }

    public TestOrg Org { get; }

    internal EmulatorContext Context => _server.Context;

    public Uri BaseAddress => _server.BaseAddress;

    public string Endpoint => BaseAddress.ToString().TrimEnd('/');

    /// <summary>The same app over cleartext HTTP/2 with prior knowledge.</summary>
    public Uri Http2BaseAddress => _server.Http2BaseAddress;

    public string Http2Endpoint => Http2BaseAddress.ToString().TrimEnd('/');

    public RequestLog Log => _server.RequestLog;

    /// <summary>Authenticated as bob with his Bedrock API key.</summary>
    public HttpClient Client { get; }

    /// <summary>Starts a host; <paramref name="yaml"/> may hold <c>region:</c>, <c>bedrock:</c> and <c>faults:</c>.</summary>
    public static async Task<BedrockHost> StartAsync(string? yaml = null, string file = "emulator.yaml")
    {
        var diagnostics = new List<Diagnostic>();
        var org = new TestOrg();
        var options = org.Options;
        if (yaml is not null)
        {
            var root = YamlInputReader.Read(yaml, file, Basalt.Emulator.Configuration.EmulatorOptionsLoader.Codes, InputLimits.Default, diagnostics)!;
            if (root.Get("region") is { } region)
            {
                options.Region = region.Scalar!;
            }

            if (root.Get("bedrock") is { } b)
            {
                options.Bedrock = BedrockEmulatorOptions.Parse(b, file, diagnostics);
            }

            if (root.Get("faults") is { } f)
            {
                options.Faults = FaultOptions.Parse(f, file, diagnostics);
            }
        }

        Assert.True(!diagnostics.Any(d => d.IsError), string.Join('\n', diagnostics));
        return new BedrockHost(await EmulatorServer.StartAsync(options), org);
    }

    /// <summary>POSTs and returns as soon as the response headers arrive, leaving the body to be read as a stream.</summary>
    public Task<HttpResponseMessage> PostHeadersAsync(string path, string body, Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(body) };
        configure?.Invoke(request);
        return Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>A minimal valid Bedrock Anthropic body with one user message.</summary>
    public static string Body(string prompt, int maxTokens = 1024, string extra = "")
        => $$"""{"anthropic_version":"bedrock-2023-05-31","max_tokens":{{maxTokens}},"messages":[{"role":"user","content":{{System.Text.Json.JsonSerializer.Serialize(prompt)}}}]{{extra}}}""";

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _server.DisposeAsync();
    }
}
