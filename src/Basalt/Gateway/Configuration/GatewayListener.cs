namespace Basalt.Gateway.Configuration;

/// <summary>One address the gateway listens on. <see cref="CertificateFile"/> set means HTTPS (PEM certificate and key).</summary>
public sealed record GatewayListener(string Host, int Port, bool Http2, string? CertificateFile = null, string? KeyFile = null)
{
    public bool IsHttps => CertificateFile is not null;

    public override string ToString() => $"{(IsHttps ? "https" : "http")}://{Host}:{Port}";
}
