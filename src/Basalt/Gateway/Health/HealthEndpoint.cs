using System.Buffers;
using System.Text.Json;
using Basalt.Gateway.Hosting;
using Basalt.Gateway.Routing;
using Basalt.Gateway.Upstream;

namespace Basalt.Gateway.Health;

/// <summary>
/// <c>/healthz</c> (the process serves) and <c>/readyz</c> (issue 8 item 8): ready when every upstream's own
/// credentials can be obtained and every model has at least one route whose breaker is not open. The answer names
/// each upstream's breaker state and credential problem (never a secret), and the last configuration reload.
/// </summary>
internal sealed class HealthEndpoint(IEnumerable<UpstreamClient> upstreams, Func<ModelRouter> router, Basalt.Usage.Hosting.UsageServices? usage = null, Func<GatewayReloadResult?>? lastReload = null)
{
    private readonly IReadOnlyList<UpstreamClient> _upstreams = [.. upstreams];

    public async Task HandleAsync(GatewayExchange exchange, bool readiness, CancellationToken cancellationToken)
    {
        if (!readiness)
        {
            await ResponseWriter.JsonAsync(exchange, 200, "{\"status\":\"ok\"}"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            return;
        }

        var problems = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var upstream in _upstreams)
        {
            problems[upstream.Name] = await upstream.CheckCredentialsAsync(cancellationToken).ConfigureAwait(false);
        }

        var ready = problems.Values.All(p => p is null)
            && router().Models.All(m => m.Model.Routes.Any(r => _upstreams.First(u => u.Name == r.Upstream).Breaker.State != BreakerState.Open));
        // Usage (issue 10): a store that refuses writes makes the gateway not ready, with the reason (records wait
        // in the journal meanwhile; budgets refuse or admit per usage.onStoreOutage).
        var (usageReady, usageReason) = usage?.Readiness() ?? (true, null);
        ready &= usageReady;
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("status"u8, ready ? "ready" : "not-ready");
            writer.WriteStartObject("upstreams"u8);
            foreach (var upstream in _upstreams)
            {
                writer.WriteStartObject(upstream.Name);
                writer.WriteString("region"u8, upstream.Upstream.Region);
                writer.WriteString("breaker"u8, upstream.Breaker.State.ToString().ToLowerInvariant());
                writer.WriteString("credentials"u8, problems[upstream.Name] ?? "ok");
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            if (lastReload?.Invoke() is { } reload)
            {
                // The last configuration reload (SIGHUP): applied or rejected, when, and why (never a secret).
                writer.WriteStartObject("reload"u8);
                writer.WriteString("status"u8, reload.Applied ? "applied" : "rejected");
                writer.WriteString("at"u8, reload.At);
                writer.WriteString("message"u8, reload.Message);
                writer.WriteEndObject();
            }

            if (usage is not null)
            {
                writer.WriteStartObject("usage"u8);
                writer.WriteString("store"u8, usage.Store.Kind);
                writer.WriteString("status"u8, usageReady ? "ok" : "unavailable");
                if (usageReason is not null)
                {
                    writer.WriteString("reason"u8, usageReason);
                }

                writer.WriteNumber("journalBacklogBytes"u8, usage.Sink.Health.BacklogBytes);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        await ResponseWriter.JsonAsync(exchange, ready ? 200 : 503, buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }
}
