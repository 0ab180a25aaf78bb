using System.IO.Pipelines;
using Basalt.Gateway.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Basalt.Gateway.Host;

/// <summary>Adapts ASP.NET Core's <see cref="HttpContext"/> to the library's <see cref="GatewayExchange"/>; no decisions here.</summary>
internal sealed class HttpContextExchange(HttpContext context) : GatewayExchange
{
    public override string Method => context.Request.Method;

    /// <summary>The raw target keeps percent-encoding (an ARN's <c>%2F</c> must not become a path separator).</summary>
    public override string RawPath
    {
        get
        {
            var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
            if (string.IsNullOrEmpty(raw) || raw[0] != '/')
            {
                return context.Request.PathBase + context.Request.Path;
            }

            var q = raw.IndexOf('?', StringComparison.Ordinal);
            return q < 0 ? raw : raw[..q];
        }
    }

    public override string? Query => context.Request.QueryString.Value;

    public override string? GetHeader(string name) => context.Request.Headers.TryGetValue(name, out var v) && v.Count > 0 ? v[0] : null;

    public override Stream RequestBody => context.Request.Body;

    public override long? RequestContentLength => context.Request.ContentLength;

    public override string? RemoteAddress => context.Connection.RemoteIpAddress?.ToString();

    public override CancellationToken Aborted => context.RequestAborted;

    public override int StatusCode
    {
        get => context.Response.StatusCode;
        set => context.Response.StatusCode = value;
    }

    public override void SetResponseHeader(string name, string value)
    {
        if (string.Equals(name, "content-length", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.ContentLength = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
            return;
        }

        context.Response.Headers[name] = value;
    }

    public override PipeWriter ResponseBody => context.Response.BodyWriter;

    public override bool HasStarted => context.Response.HasStarted;

    public override Task StartResponseAsync(CancellationToken cancellationToken) => context.Response.StartAsync(cancellationToken);

    public override void Abort() => context.Abort();
}
