using Basalt.Gateway.Configuration;
using Basalt.Gateway.Routing;
using Basalt.Usage;
using Microsoft.Extensions.Logging;

namespace Basalt.Gateway.Hosting;

/// <summary>What every endpoint shares: configuration, router, failover, usage sink, admission, stream limit, clock, log, content policy.</summary>
internal sealed record EndpointServices(
    GatewayOptions Options,
    ModelRouter Router,
    FailoverInvoker Invoker,
    IUsageSink Usage,
    IAdmissionPolicy Admission,
    StreamLimiter Streams,
    TimeProvider Time,
    ILogger Logger,
    Policy.ContentPolicy Policy);
