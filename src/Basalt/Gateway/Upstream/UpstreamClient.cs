using System.Net;
using Basalt.Aws;
using Basalt.Bedrock;
using Basalt.Credentials;
using Basalt.Credentials.Profiles;
using Basalt.Gateway.Configuration;
using Basalt.Gateway.Routing;
using Basalt.Identity;

namespace Basalt.Gateway.Upstream;

/// <summary>
/// One configured upstream at run time: a pooled HTTP client (one per upstream, connections reused), its circuit
/// breaker, the gateway's own credentials and, when configured, the per-user session cache. Builds the
/// <see cref="BedrockAuth"/> for a caller (fresh credentials per attempt, as <see cref="BedrockTransport"/> expects).
/// </summary>
internal sealed class UpstreamClient : IDisposable
{
    private readonly Func<CancellationToken, ValueTask<AwsCredentials>>? _gatewayCredentials;
    private readonly BedrockAuth _gatewayAuth;
    private readonly TimeProvider _time;

    public UpstreamClient(GatewayUpstream upstream, GatewayFailover failover, TimeProvider time, HttpMessageHandler? handler = null)
    {
        Upstream = upstream;
        _time = time;
        Breaker = new CircuitBreaker(failover.BreakerThreshold, failover.BreakerOpenDuration, time);
        Http = new HttpClient(handler ?? CreateHandler(), disposeHandler: handler is null) { Timeout = Timeout.InfiniteTimeSpan };
        switch (upstream.Credentials.Source)
        {
            case GatewayCredentials.StaticSource:
                var keys = upstream.Credentials.StaticKeys!;
                _gatewayCredentials = _ => ValueTask.FromResult(keys);
                _gatewayAuth = BedrockAuth.SigV4(keys);
                break;
            case GatewayCredentials.ProfileSource:
                var source = new AwsProfileSource(upstream.Credentials.Profile!, CredentialEnvironment.FromProcess(time));
                var request = new CredentialRequest(CredentialContext.Background, TextWriter.Null);
                _gatewayCredentials = ct => source.GetCredentialsAsync(request, ct);
                _gatewayAuth = BedrockAuth.SigV4(_gatewayCredentials);
                break;
            default:
                _gatewayAuth = BedrockAuth.ApiKey(upstream.Credentials.BedrockApiKey!);
                break;
        }

        if (upstream.AssumeRole is { } role && _gatewayCredentials is not null)
        {
            Sessions = new UserSessionCache(role, upstream.Region, _gatewayCredentials, time);
        }
    }

    public GatewayUpstream Upstream { get; }

    public string Name => Upstream.Name;

    public HttpClient Http { get; }

    public CircuitBreaker Breaker { get; }

    public UserSessionCache? Sessions { get; }

    public BedrockClientOptions Options(Principal? principal)
        => new()
        {
            Region = Upstream.Region,
            RuntimeEndpoint = Upstream.Endpoint,
            ControlPlaneEndpoint = Upstream.ControlPlaneEndpoint,
            Auth = Sessions is { } sessions && principal is not null ? BedrockAuth.SigV4(ct => sessions.GetAsync(principal, ct)) : _gatewayAuth,
            Retry = BedrockRetryOptions.NoRetry,
            TimeProvider = _time,
            UserAgent = "basalt-gateway",
        };

    /// <summary>Whether the gateway's own credentials can be obtained now (for <c>/readyz</c> and <c>gateway check</c>).</summary>
    public async Task<string?> CheckCredentialsAsync(CancellationToken cancellationToken)
    {
        if (_gatewayCredentials is null)
        {
            return null;
        }

        try
        {
            var credentials = await _gatewayCredentials(cancellationToken).ConfigureAwait(false);
            return credentials.ExpiresWithin(TimeSpan.Zero, _time.GetUtcNow()) ? "the gateway's AWS credentials have expired" : null;
        }
        catch (CredentialException e)
        {
            return e.Message;
        }
    }

    /// <summary>
    /// Connections are pooled and kept, but recycled every few minutes so DNS changes (regional failover of AWS
    /// endpoints) are seen; no decompression or redirects: bytes pass through as Bedrock sent them.
    /// </summary>
    private static SocketsHttpHandler CreateHandler() => new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        AutomaticDecompression = DecompressionMethods.None,
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        EnableMultipleHttp2Connections = true,
        MaxConnectionsPerServer = int.MaxValue,
    };

    public void Dispose() => Http.Dispose();
}
