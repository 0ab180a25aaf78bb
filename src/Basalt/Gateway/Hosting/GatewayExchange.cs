using System.IO.Pipelines;

namespace Basalt.Gateway.Hosting;

/// <summary>
/// One HTTP exchange as the gateway's library sees it, so all decisions live in <c>src/Basalt</c> and are testable
/// without a web host (ARCHITECTURE.md: hosts only map inputs to library calls). The ASP.NET Core host adapts
/// <c>HttpContext</c> to this; the response body is a <see cref="PipeWriter"/> so frames go out of pooled buffers.
/// </summary>
public abstract class GatewayExchange
{
    public abstract string Method { get; }

    /// <summary>The path exactly as sent (percent-encoding kept, no query): a model segment may be an encoded ARN.</summary>
    public abstract string RawPath { get; }

    public abstract string? Query { get; }

    /// <summary>The first value of a request header, or null.</summary>
    public abstract string? GetHeader(string name);

    public abstract Stream RequestBody { get; }

    public abstract long? RequestContentLength { get; }

    public abstract string? RemoteAddress { get; }

    /// <summary>Fires when the client goes away.</summary>
    public abstract CancellationToken Aborted { get; }

    public abstract int StatusCode { get; set; }

    public abstract void SetResponseHeader(string name, string value);

    public abstract PipeWriter ResponseBody { get; }

    public abstract bool HasStarted { get; }

    /// <summary>Sends the status line and headers now (before any body byte).</summary>
    public abstract Task StartResponseAsync(CancellationToken cancellationToken);

    /// <summary>Drops the connection without finishing the response (used only when no well-formed ending is possible).</summary>
    public abstract void Abort();
}
