using System.Text;
using Basalt.Aws;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Basalt.Emulator.Tests.TestSupport;

/// <summary>Builds ASP.NET Core request contexts for calling the authenticator directly, and reads what it wrote.</summary>
public static class HttpContexts
{
    public static DefaultHttpContext Create(string method, string pathAndQuery, IEnumerable<KeyValuePair<string, string>> headers, byte[]? body = null)
    {
        var context = new DefaultHttpContext();
        var q = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        context.Request.Method = method;
        context.Request.Scheme = "http";
        context.Request.Path = q < 0 ? pathAndQuery : pathAndQuery[..q];
        context.Request.QueryString = q < 0 ? QueryString.Empty : new QueryString(pathAndQuery[q..]);
        foreach (var (name, value) in headers)
        {
            context.Request.Headers.Append(name, value);
        }

        context.Features.Get<IHttpRequestFeature>()!.RawTarget = pathAndQuery;
        context.Request.Body = new MemoryStream(body ?? []);
        context.Response.Body = new MemoryStream();
        return context;
    }

    /// <summary>A request signed with Basalt's SigV4 signer (header auth) for <paramref name="service"/>.</summary>
    public static DefaultHttpContext Signed(string method, string path, byte[] body, AwsCredentials credentials, string service, DateTimeOffset now, string region = "us-east-1")
    {
        var headers = new List<KeyValuePair<string, string>> { new("Host", "127.0.0.1:4000"), new("Content-Type", "application/json") };
        var request = new SigV4Request { Method = method, RawPath = path, Headers = headers, Body = body };
        var signature = SigV4Signer.SignHeaders(request, credentials, region, service, now);
        headers.AddRange(signature.HeadersToAdd);
        return Create(method, path, headers, body);
    }

    public static string ResponseBody(HttpContext context)
    {
        context.Response.Body.Position = 0;
        return new StreamReader(context.Response.Body, Encoding.UTF8).ReadToEnd();
    }
}
