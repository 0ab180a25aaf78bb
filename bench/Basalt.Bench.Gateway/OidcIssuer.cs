using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Basalt.Bench.Gateway;

/// <summary>
/// A minimal OIDC issuer on loopback for the authentication-cost case (issue 9): discovery and a JWKS with one RS256
/// key, and tokens signed with it. The gateway fetches the keys once; a cached token never calls it again, so this
/// server is off the measured path.
/// </summary>
internal sealed class OidcIssuer : IDisposable
{
    public const string Audience = "basalt-bench-gateway";

    private readonly RSA _key = RSA.Create(2048);
    private readonly HttpListener _listener = new();
    private readonly Task _serving;

    public OidcIssuer()
    {
        var port = FreePort();
        Issuer = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Issuer + "/");
        _listener.Start();
        _serving = ServeAsync();
    }

    public string Issuer { get; }

    /// <summary>An ID-token-shaped JWT for <paramref name="user"/> in IdP group <paramref name="group"/>, valid for an hour.</summary>
    public string Token(string user, string group)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Base64Url.EncodeToString("""{"alg":"RS256","kid":"bench","typ":"JWT"}"""u8);
        var payload = Base64Url.EncodeToString(Encoding.UTF8.GetBytes($$"""{"iss":"{{Issuer}}","aud":"{{Audience}}","sub":"{{user}}","name":"Bench {{user}}","email":"{{user}}@example.com","groups":["{{group}}"],"iat":{{now}},"nbf":{{now}},"exp":{{now + 3600}}}"""));
        var input = header + "." + payload;
        return input + "." + Base64Url.EncodeToString(_key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    private async Task ServeAsync()
    {
        var p = _key.ExportParameters(false);
        var jwks = $$"""{"keys":[{"kty":"RSA","kid":"bench","use":"sig","alg":"RS256","n":"{{Base64Url.EncodeToString(p.Modulus)}}","e":"{{Base64Url.EncodeToString(p.Exponent)}}"}]}""";
        var discovery = $$"""{"issuer":"{{Issuer}}","jwks_uri":"{{Issuer}}/keys","id_token_signing_alg_values_supported":["RS256"]}""";
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

            var body = Encoding.UTF8.GetBytes(context.Request.Url!.AbsolutePath.EndsWith("openid-configuration", StringComparison.Ordinal) ? discovery : jwks);
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _listener.Close();
        _serving.Wait(TimeSpan.FromSeconds(2));
        _key.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
