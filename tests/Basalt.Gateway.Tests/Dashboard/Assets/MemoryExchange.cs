using System.IO.Pipelines;
using Basalt.Gateway.Hosting;

namespace Basalt.Gateway.Tests.Dashboard.Assets;

/// <summary>An exchange held in memory, for the asset server's header and caching decisions (no host needed).</summary>
internal sealed class MemoryExchange(string method, string path, IReadOnlyDictionary<string, string>? headers = null) : GatewayExchange
{
    private readonly MemoryStream _body = new();
    private PipeWriter? _writer;

    public Dictionary<string, string> ResponseHeaders { get; } = new(StringComparer.OrdinalIgnoreCase);

    public byte[] Body
    {
        get
        {
            _writer?.Complete();
            return _body.ToArray();
        }
    }

    public override string Method => method;

    public override string RawPath => path;

    public override string? Query => null;

    public override string? GetHeader(string name) => headers is not null && headers.TryGetValue(name, out var v) ? v : null;

    public override Stream RequestBody => Stream.Null;

    public override long? RequestContentLength => 0;

    public override string? RemoteAddress => "127.0.0.1";

    public override CancellationToken Aborted => CancellationToken.None;

    public override int StatusCode { get; set; } = 200;

    public override void SetResponseHeader(string name, string value) => ResponseHeaders[name] = value;

    public override PipeWriter ResponseBody => _writer ??= PipeWriter.Create(_body, new StreamPipeWriterOptions(leaveOpen: true));

    public override bool HasStarted => false;

    public override Task StartResponseAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Abort()
    {
    }

    public string Header(string name) => ResponseHeaders.TryGetValue(name, out var v) ? v : throw new Xunit.Sdk.XunitException($"no {name} header; got: {string.Join(", ", ResponseHeaders.Keys)}");
}
