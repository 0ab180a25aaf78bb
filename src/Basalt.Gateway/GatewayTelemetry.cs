using Basalt.Bedrock.Models;
using Basalt.Gateway.Configuration;
using Basalt.Usage.Hosting;
using Basalt.Usage.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Basalt.Gateway.Host;

/// <summary>
/// Host side of usage (issue 10): starts <see cref="UsageServices"/> from <c>gateway.usage</c>, subscribes the
/// OpenTelemetry SDK to the library's meter (<see cref="UsageMetrics.MeterName"/>) for the Prometheus scrape at
/// <c>/metrics</c> and, when <c>usage.otlp</c> is set, pushes metrics and the gateway's logs over OTLP; prunes raw
/// records past retention hourly. Disposing is the graceful stop (journal flushed into the store).
/// </summary>
internal sealed class GatewayTelemetry : IAsyncDisposable
{
    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);

    private readonly MeterProvider _meters;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _prune;

    private GatewayTelemetry(UsageServices usage, MeterProvider meters)
    {
        Usage = usage;
        _meters = meters;
        _prune = PruneLoopAsync(_stop.Token);
    }

    public UsageServices Usage { get; }

    public static async Task<GatewayTelemetry?> StartAsync(GatewayUsage config, ModelCatalogue? catalogue, CancellationToken cancellationToken)
    {
        if (!config.Enabled || config.Options is not { } options)
        {
            return null;
        }

        var usage = await UsageServices.StartAsync(options, catalogue ?? ModelCatalogue.Default, cancellationToken).ConfigureAwait(false);
        var builder = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(r => r.AddService("basalt-gateway"))
            .AddMeter(UsageMetrics.MeterName)
            .AddPrometheusExporter();
        if (config.Export is { } export)
        {
            builder.AddOtlpExporter((exporter, reader) =>
            {
                Configure(exporter, export, "v1/metrics");
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)export.Interval.TotalMilliseconds;
            });
        }

        return new GatewayTelemetry(usage, builder.Build());
    }

    /// <summary>With <c>usage.otlp</c>, the gateway's own log lines also go to the collector (never request content: the gateway does not log it).</summary>
    public static void AddLogExport(ILoggingBuilder logging, GatewayUsage config)
    {
        if (config.Enabled && config.Export is { } export)
        {
            logging.AddOpenTelemetry(o =>
            {
                o.SetResourceBuilder(ResourceBuilder.CreateDefault().AddService("basalt-gateway"));
                o.AddOtlpExporter(exporter => Configure(exporter, export, "v1/logs"));
            });
        }
    }

    /// <summary><c>GET /metrics</c> in Prometheus text, after <see cref="GatewayHandler.AuthorizeMetricsAsync"/> lets the caller in.</summary>
    public void MapMetrics(WebApplication app, GatewayHandler handler) =>
        app.UseOpenTelemetryPrometheusScrapingEndpoint(
            _meters,
            context => context.Request.Path == "/metrics",
            null,
            branch => branch.Use(async (context, next) =>
            {
                if (await handler.AuthorizeMetricsAsync(new HttpContextExchange(context)).ConfigureAwait(false))
                {
                    await next(context).ConfigureAwait(false);
                }
            }),
            null);

    private static void Configure(OtlpExporterOptions exporter, GatewayUsageExport export, string signalPath)
    {
        // Set in code, the endpoint is used as is: the signal path is appended here as
        // OTEL_EXPORTER_OTLP_ENDPOINT would (OTLP exporter spec, "Endpoint URLs for OTLP/HTTP").
        exporter.Protocol = export.Protocol == "grpc" ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
        exporter.Endpoint = export.Protocol == "grpc" ? export.Endpoint : new Uri(export.Endpoint.ToString().TrimEnd('/') + "/" + signalPath);
        if (export.Headers.Count > 0)
        {
            exporter.Headers = string.Join(',', export.Headers.Select(h => $"{Uri.EscapeDataString(h.Key)}={Uri.EscapeDataString(h.Value)}"));
        }
    }

    private async Task PruneLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(PruneEvery);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await Usage.PruneAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or TimeoutException)
                {
                    // The store is down: the next tick tries again; readiness already reports the outage.
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _prune.ConfigureAwait(false);
        _stop.Dispose();
        _meters.ForceFlush(2000);
        _meters.Dispose();
        await Usage.DisposeAsync().ConfigureAwait(false);
    }
}
