using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Basalt.Gateway.Tests.TestSupport;
using Basalt.Testing;

namespace Basalt.Gateway.Tests.Hosting;

/// <summary>
/// An https listener from PEM files (issue 8 item 1): the certificate and key are made by the test, the gateway
/// serves them, and a client that offers HTTP/2 in ALPN gets HTTP/2 (HTTP/1.1 still works on the same port).
/// </summary>
public sealed class TlsListenerTests
{
    [Fact]
    public async Task An_https_listener_from_pem_files_serves_messages_over_http2_negotiated_by_alpn_and_http11_too()
    {
        using var dir = new TempDirectory("gateway-tls");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        var certFile = dir.Combine("server.crt");
        var keyFile = dir.Combine("server.key");
        await File.WriteAllTextAsync(certFile, certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem());
        var plain = new GatewayTestOptions();
        await using var host = await GatewayTestHost.StartAsync(new GatewayTestOptions
        {
            GatewayYaml = emulators => GatewayTestHost.GatewayYaml(emulators, plain).Replace(
                "listen: [ \"http://127.0.0.1:0\" ]", $"listen: [ {{ url: \"https://127.0.0.1:0\", certificate: \"{certFile}\", key: \"{keyFile}\" }} ]", StringComparison.Ordinal),
        });
        Assert.Equal("https", host.Gateway.BaseAddress.Scheme);

        // Trust exactly the certificate the test made, nothing else: a wrong certificate fails the handshake.
        var thumbprint = certificate.GetCertHashString(HashAlgorithmName.SHA256);
        using var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, cert, _, _) => cert is not null && string.Equals(cert.GetCertHashString(HashAlgorithmName.SHA256), thumbprint, StringComparison.Ordinal),
            },
        };
        using var client = new HttpClient(handler) { BaseAddress = host.Gateway.BaseAddress };
        var body = "{\"model\":\"sonnet\",\"max_tokens\":64,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"over tls\"}]}";

        foreach (var version in new[] { HttpVersion.Version20, HttpVersion.Version11 })
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
            {
                Version = version,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            message.Headers.TryAddWithoutValidation("x-api-key", host.AliceKey);
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead);
            var sse = SseResult.Parse((int)response.StatusCode, null, await response.Content.ReadAsStringAsync());

            Assert.Equal(version, response.Version);
            Assert.Equal(200, sse.Status);
            Assert.Equal("over tls", sse.Text);
            Assert.Equal("message_stop", sse.Events[^1]);
        }
    }
}
