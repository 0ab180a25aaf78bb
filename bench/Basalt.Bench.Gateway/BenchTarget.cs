using System.Net;
using System.Net.Http.Headers;

namespace Basalt.Bench.Gateway;

/// <summary>
/// One way to reach the emulator: directly, or through a proxy. The same emulator serves every target; only the
/// path, headers and (for Basalt's Anthropic side) body format differ.
/// </summary>
internal sealed class BenchTarget
{
    public required string Name { get; init; }

    public required string Description { get; init; }

    public required Uri BaseAddress { get; init; }

    public required string InvokePath { get; init; }

    public required string StreamPath { get; init; }

    public required byte[] InvokeBody { get; init; }

    public required byte[] StreamBody { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>The proxy's process (null for the emulator itself, which shares the benchmark's process).</summary>
    public ServerProcess? Process { get; init; }

    public HttpClient CreateClient(int connections)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
            UseCookies = false,
        };
        var client = new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        foreach (var (name, value) in Headers)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation(name, value);
        }

        return client;
    }

    public HttpRequestMessage Request(bool stream)
    {
        var content = new ByteArrayContent(stream ? StreamBody : InvokeBody);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return new HttpRequestMessage(HttpMethod.Post, stream ? StreamPath : InvokePath) { Content = content };
    }
}
