using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Basalt.Testing;

/// <summary>
/// A gateway's TLS on loopback for tests that run real clients against it: a self-signed P-256 leaf for
/// <c>127.0.0.1</c> (a client trusts it through <c>NODE_EXTRA_CA_CERTS</c> or a pinned hash) written as PEM files
/// the gateway's <c>listen</c> entry reads, and a free port to listen on.
/// </summary>
public static class LoopbackTls
{
    /// <summary>Writes <c>server.crt</c> and <c>server.key</c> (0600) into <paramref name="dir"/>; valid for an hour.</summary>
    public static X509Certificate2 Certificate(TempDirectory dir, out string certFile, out string keyFile)
    {
        ArgumentNullException.ThrowIfNull(dir);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, 0, critical: true));
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        certFile = dir.Write("server.crt", certificate.ExportCertificatePem());
        keyFile = dir.Write("server.key", key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return certificate;
    }

    /// <summary>A loopback port free right now (for a configuration that must name its URL before the server starts).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
