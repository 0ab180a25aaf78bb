using Basalt.Gateway.Configuration;
using Basalt.Gateway.Routing;
using Basalt.Gateway.Streaming;
using Basalt.Usage;
using Microsoft.Extensions.Logging;

namespace Basalt.Gateway.Hosting;

/// <summary>
/// What every endpoint shares: configuration, router, failover, usage sink, admission, stream limit, clock, log, content policy —
/// and the two steps both inbound formats take the same way: admission before the upstream call and the one usage
/// record after it.
/// </summary>
internal sealed record EndpointServices(
    GatewayOptions Options,
    ModelRouter Router,
    FailoverInvoker Invoker,
    IUsageSink Usage,
    IAdmissionPolicy Admission,
    StreamLimiter Streams,
    TimeProvider Time,
    ILogger Logger,
    Policy.ContentPolicy Policy)
{
    // Configuration and router are read per request and swapped together by a reload (GatewayReloader): a request
    // sees one snapshot's Options and Router as long as it reads them once each.
    private volatile RoutingSnapshot _routing = new(Options, Router);

    /// <summary>The running configuration (replaced as a whole by a reload).</summary>
    public GatewayOptions Options => _routing.Options;

    /// <summary>Models, aliases and routes of the running configuration.</summary>
    public ModelRouter Router => _routing.Router;

    internal void Swap(GatewayOptions options, ModelRouter router) => _routing = new RoutingSnapshot(options, router);

    private sealed record RoutingSnapshot(GatewayOptions Options, ModelRouter Router);

    /// <summary>
    /// Asks the admission policy (budgets, rate limits) about one call, after authentication and routing and before
    /// the upstream call. Its headers (rate-limit state, soft-threshold warnings) go on the response either way.
    /// </summary>
    public async ValueTask<AdmissionDecision> AdmitAsync(GatewayCall call, int bodyBytes, long maxTokens, CancellationToken cancellationToken)
    {
        var request = new AdmissionRequest(call.Principal!, call.RequestId, call.ModelRequested, call.ModelServed, (bodyBytes + 3) / 4, maxTokens, call.Streamed);
        var decision = await Admission.AdmitAsync(request, cancellationToken).ConfigureAwait(false);
        foreach (var (name, value) in decision.Headers)
        {
            call.Exchange.SetResponseHeader(name, value);
        }

        return decision;
    }

    /// <summary>
    /// Records the call's one <see cref="UsageEvent"/> and completes its admission ticket. Awaited by the endpoint
    /// before the response completes (CONTRACTS.md), and never cancelled by the client leaving: the tokens were
    /// metered and may have cost money. With usage on and the journal syncing each commit it waits for the group
    /// commit, so its state machine is pooled rather than allocated per request (with a sync interval it completes
    /// synchronously).
    /// </summary>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask RecordAsync(GatewayCall call, UsageMeter? meter, UsageOutcome outcome, int status, string? errorType, AdmissionTicket? ticket)
    {
        var usage = call.ToUsage(meter, outcome, status, errorType);
        await Usage.RecordAsync(usage, CancellationToken.None).ConfigureAwait(false);
        if (ticket is not null)
        {
            await ticket.CompleteAsync(usage, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
