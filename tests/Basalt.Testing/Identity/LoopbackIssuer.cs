using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Basalt.Testing.Identity;

/// <summary>
/// A real OIDC issuer on loopback (HttpListener): <c>/.well-known/openid-configuration</c> and <c>/jwks</c>, with the
/// JWKS replaceable (key rotation) and its downloads counted.
/// </summary>
public sealed class LoopbackIssuer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private int _jwksRequests;

    public LoopbackIssuer(string jwks)
    {
        Jwks = jwks;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            Issuer = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}";
        }

        _listener.Prefixes.Add(Issuer + "/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string Issuer { get; }

    public string Jwks { get; set; }

    public int JwksRequests => Volatile.Read(ref _jwksRequests);

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var path = context.Request.Url!.AbsolutePath;
            string? body = path switch
            {
                "/.well-known/openid-configuration" => $$"""{"issuer":"{{Issuer}}","jwks_uri":"{{Issuer}}/jwks"}""",
                "/jwks" => Jwks,
                _ => null,
            };
            if (path == "/jwks")
            {
                Interlocked.Increment(ref _jwksRequests);
            }

            context.Response.StatusCode = body is null ? 404 : 200;
            context.Response.ContentType = "application/json";
            var bytes = Encoding.UTF8.GetBytes(body ?? "{}");
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }
}
