namespace Basalt.Gateway.Configuration;

/// <summary>
/// <c>usage.otlp</c>: OTLP/HTTP export of the gateway's metrics (GenAI semantic conventions, issue 10 item 8) to a
/// collector. <see cref="Endpoint"/> is the base URL (<c>/v1/metrics</c> is appended, as OTEL_EXPORTER_OTLP_ENDPOINT
/// does); headers usually carry the collector's credential and are kept as given (resolved references).
/// </summary>
public sealed record GatewayUsageExport(Uri Endpoint, string Protocol, TimeSpan Interval, IReadOnlyDictionary<string, string> Headers)
{
    public override string ToString() => $"GatewayUsageExport {{ Endpoint = {Endpoint}, Protocol = {Protocol}, Interval = {Interval} }}";
}
