using Basalt.Bedrock.Models;
using Basalt.Gateway.Configuration;
using Basalt.Identity;
using Basalt.Usage;
using Microsoft.Extensions.Logging;

namespace Basalt.Gateway.Host;

/// <summary>What the host needs beyond the configuration: extra authenticators (identity), the usage sink and
/// admission policy (usage), the catalogue, the clock, logging.</summary>
public sealed class GatewayServerOptions
{
    public required GatewayOptions Gateway { get; init; }

    /// <summary>Tried after the configured API keys, in order (OIDC, managed keys… from the identity work).</summary>
    public IReadOnlyList<IRequestAuthenticator> Authenticators { get; init; } = [];

    /// <summary>Null: usage is logged (<see cref="Hosting.LoggingUsageSink"/>).</summary>
    public IUsageSink? UsageSink { get; init; }

    public IAdmissionPolicy? Admission { get; init; }

    public ModelCatalogue? Catalogue { get; init; }

    public TimeProvider? TimeProvider { get; init; }

    public Action<ILoggingBuilder>? ConfigureLogging { get; init; }

    /// <summary>
    /// Where the access log goes when the host prints it (<c>basalt gateway serve</c>: standard output), written by
    /// <see cref="Hosting.GatewayAccessLog"/> instead of a logger line per request. Null, or with <c>usage.otlp</c>
    /// set (the collector receives the gateway's log lines, access lines included): the access line is logged.
    /// </summary>
    public Stream? AccessLogOutput { get; init; }
}
