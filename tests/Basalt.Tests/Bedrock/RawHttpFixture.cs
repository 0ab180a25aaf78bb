using System.Net;
using System.Net.Sockets;
using System.Text;
using Basalt.Aws;

namespace Basalt.Tests.Bedrock;

/// <summary>
/// A raw loopback HTTP/1.1 server for the fault cases the emulator cannot produce (a connection cut mid-stream,
/// observing that the client closed its connection). It records each request exactly as it arrived on the wire
/// and answers with a scripted handler; one request per connection.
/// </summary>
internal sealed class RawHttpFixture : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<RawRequest, int, NetworkStream, CancellationToken, Task> _handler;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _count;

    public RawHttpFixture(Func<RawRequest, int, NetworkStream, CancellationToken, Task> handler)
    {
        _handler = handler;
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public Uri BaseAddress => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    public List<RawRequest> Requests { get; } = [];

    /// <summary>Completes when a handler saw the client close its side of the connection.</summary>
    public TaskCompletionSource ClientClosed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static byte[] Response(int status, string reason, IEnumerable<(string Name, string Value)> headers, byte[] body)
    {
        var head = new StringBuilder($"HTTP/1.1 {status} {reason}\r\n");
        foreach (var (name, value) in headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        head.Append("Content-Length: ").Append(body.Length).Append("\r\nConnection: close\r\n\r\n");
        return [.. Encoding.ASCII.GetBytes(head.ToString()), .. body];
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    var stream = client.GetStream();
                    var request = await ReadRequestAsync(stream, _stop.Token);
                    int index;
                    lock (Requests)
                    {
                        Requests.Add(request);
                        index = _count++;
                    }

                    await _handler(request, index, stream, _stop.Token);
                }
            });
        }
    }

    private static async Task<RawRequest> ReadRequestAsync(NetworkStream stream, CancellationToken token)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (buffer.Count < 4 || !(buffer[^4] == '\r' && buffer[^3] == '\n' && buffer[^2] == '\r' && buffer[^1] == '\n'))
        {
            if (await stream.ReadAsync(one, token) == 0)
            {
                throw new IOException("connection closed before the request head");
            }

            buffer.Add(one[0]);
        }

        var lines = Encoding.UTF8.GetString([.. buffer]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var parts = lines[0].Split(' ');
        var headers = lines.Skip(1).Select(l => new KeyValuePair<string, string>(l[..l.IndexOf(':')], l[(l.IndexOf(':') + 1)..].Trim())).ToList();
        var length = int.Parse(headers.FirstOrDefault(h => h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)).Value ?? "0");
        var body = new byte[length];
        await stream.ReadExactlyAsync(body, token);
        var target = parts[1];
        var q = target.IndexOf('?');
        return new RawRequest(parts[0], q < 0 ? target : target[..q], q < 0 ? null : target[(q + 1)..], headers, body);
    }

    internal sealed record RawRequest(string Method, string Path, string? Query, List<KeyValuePair<string, string>> Headers, byte[] Body)
    {
        public string? Header(string name) => Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

        public SigV4Request ToSigV4() => new() { Method = Method, RawPath = Path, RawQuery = Query, Headers = Headers, Body = Body };
    }
}
