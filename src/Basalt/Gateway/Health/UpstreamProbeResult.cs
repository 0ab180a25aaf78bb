namespace Basalt.Gateway.Health;

public sealed record UpstreamProbeResult(string Upstream, bool Ok, string Message);
