using System.Buffers;
using Basalt.Bedrock.Models;
using Basalt.Gateway.Anthropic;
using Basalt.Gateway.Authentication;
using Basalt.Gateway.Bedrock;
using Basalt.Gateway.Configuration;
using Basalt.Gateway.Dashboard;
using Basalt.Gateway.Health;
using Basalt.Gateway.Hosting;
using Basalt.Gateway.Policy;
using Basalt.Gateway.Routing;
using Basalt.Gateway.Telemetry;
using Basalt.Gateway.Upstream;
using Basalt.Identity;
using Basalt.Identity.ApiKeys;
using Basalt.Identity.OAuth;
using Basalt.Usage;
using Basalt.Usage.Hosting;
using Basalt.Usage.Stores;
using Microsoft.Extensions.Logging;

namespace Basalt.Gateway;

/// <summary>
/// The gateway's data plane (issue 8): routes one exchange on its path only (the query, e.g. <c>?beta=true</c>, is
/// ignored; gateway.md §1.1), authenticates it through the <see cref="IRequestAuthenticator"/> chain, and hands it
/// to the Anthropic-format or Bedrock-format endpoint. Base URLs given with or without <c>/v1</c> both work
/// (<c>/v1/v1/messages</c> is served as <c>/v1/messages</c>; cowork3p-reference §6.1).
/// </summary>
public sealed class GatewayHandler : IAsyncDisposable
{
    private readonly AuthenticatorChain _authenticators;
    private readonly MessagesEndpoint _messages;
    private readonly RuntimeEndpoint _runtime;
    private readonly ControlPlaneEndpoint _controlPlane;
    private readonly HealthEndpoint _health;
    private readonly UsageEndpoint? _usage;
    private readonly Managed.ManagedSettingsEndpoint _managedSettings;
    private readonly DashboardEndpoint? _dashboard;
    private readonly OAuthEndpoint? _oauth;
    private readonly Dictionary<string, UpstreamClient> _upstreams;
    private readonly ILogger _logger;
    private readonly GatewayAccessLog? _accessLog;
    private readonly TimeProvider _time;

    public GatewayHandler(
        GatewayOptions options,
        IEnumerable<IRequestAuthenticator> authenticators,
        IUsageSink usage,
        IAdmissionPolicy? admission,
        ILoggerFactory loggers,
        ModelCatalogue? catalogue = null,
        TimeProvider? time = null,
        Func<GatewayUpstream, HttpMessageHandler?>? handlers = null,
        IPolicyRecorder? policyRecorder = null,
        UsageServices? usageServices = null,
        OAuthAuthority? oauth = null,
        ApiKeyService? apiKeys = null,
        ManagedApiKeyAuthenticator? managedKeys = null,
        GatewayAccessLog? accessLog = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(authenticators);
        ArgumentNullException.ThrowIfNull(usage);
        ArgumentNullException.ThrowIfNull(loggers);
        _time = time ?? TimeProvider.System;
        Catalogue = catalogue ?? ModelCatalogue.Default;
        _logger = loggers.CreateLogger("Basalt.Gateway");
        _accessLog = accessLog;
        _authenticators = new AuthenticatorChain(authenticators);
        _upstreams = options.Upstreams.Values.ToDictionary(u => u.Name, u => new UpstreamClient(u, options.Failover, _time, handlers?.Invoke(u)), StringComparer.Ordinal);
        var router = new ModelRouter(options, Catalogue);
        var invoker = new FailoverInvoker(_upstreams, options, _time, _logger);
        var streams = new StreamLimiter(options.Limits.MaxConcurrentStreams);
        var services = new EndpointServices(options, router, invoker, usage, admission ?? AllowAll.Instance, streams, _time, _logger, Policy = new ContentPolicy(options, policyRecorder));
        Services = services;
        _messages = new MessagesEndpoint(services);
        _runtime = new RuntimeEndpoint(services);
        _controlPlane = new ControlPlaneEndpoint(services);
        _health = new HealthEndpoint(_upstreams.Values, () => services.Router, usageServices, () => LastReload);
        _managedSettings = new Managed.ManagedSettingsEndpoint(services);
        _usage = usageServices is null ? null : new UsageEndpoint(usageServices, options.Usage, options.Limits.MaxBodyBytes, _time);
        _oauth = oauth is null ? null : new OAuthEndpoint(oauth, _logger);
        _dashboard = options.Dashboard is { } dashboard ? new DashboardEndpoint(options, dashboard, usageServices, apiKeys, managedKeys, _time) : null;
        Streams = streams;
    }

    /// <summary>The running configuration (a reload replaces it; see <see cref="GatewayReloader"/>).</summary>
    public GatewayOptions Options => Services.Options;

    /// <summary>The last configuration reload, shown in <c>/readyz</c>; null until the first.</summary>
    public GatewayReloadResult? LastReload { get; internal set; }

    internal EndpointServices Services { get; }

    internal ModelCatalogue Catalogue { get; }

    /// <summary>The groups' content policies (issue 12); <see cref="ContentPolicy.Reload"/> swaps them live.</summary>
    public ContentPolicy Policy { get; }

    /// <summary>Streams open right now (for drain and leak checks).</summary>
    public int OpenStreams => Streams.Current;

    internal StreamLimiter Streams { get; }

    /// <summary>Upstream names and their breaker states (for <c>/readyz</c>, <c>gateway check</c> and tests).</summary>
    public IReadOnlyDictionary<string, BreakerState> BreakerStates => _upstreams.ToDictionary(u => u.Key, u => u.Value.Breaker.State, StringComparer.Ordinal);

    /// <summary>Per-user STS sessions made so far, by upstream (tests verify caching and single flight).</summary>
    public int AssumeRoleCalls(string upstream) => _upstreams[upstream].Sessions?.AssumeRoleCalls ?? 0;

    public async Task HandleAsync(GatewayExchange exchange)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        var path = NormalizePath(exchange.RawPath);
        var method = exchange.Method;
        var requestId = NewRequestId();
        var aborted = exchange.Aborted;
        var started = _time.GetTimestamp();
        try
        {
            if (method is "HEAD" && path is "/" or "/api/hello" or "/v1")
            {
                // Claude Code's connectivity check (gateway.md §1.0: HEAD /api/hello; §1.1: HEAD /).
                exchange.StatusCode = 200;
                return;
            }

            if (method == "GET" && path is "/healthz" or "/readyz")
            {
                await _health.HandleAsync(exchange, path == "/readyz", aborted).ConfigureAwait(false);
                return;
            }

            if (path.StartsWith("/model/", StringComparison.Ordinal))
            {
                await _runtime.HandleAsync(exchange, path, requestId, this).ConfigureAwait(false);
                return;
            }

            if (path.StartsWith("/inference-profiles", StringComparison.Ordinal) || path.StartsWith("/foundation-models", StringComparison.Ordinal))
            {
                await _controlPlane.HandleAsync(exchange, path, requestId, this).ConfigureAwait(false);
                return;
            }

            if (_dashboard is not null && DashboardEndpoint.Serves(path))
            {
                // Before the usage routes: those claim every other /admin/ path (issue 11 dashboard).
                await _dashboard.HandleAsync(exchange, path, this).ConfigureAwait(false);
                return;
            }

            if (_usage is not null && UsageEndpoint.Serves(path))
            {
                // Before the /v1/ prefix: /v1/logs and /v1/metrics are OTLP ingest, not Anthropic routes.
                await _usage.HandleAsync(exchange, path, requestId, this).ConfigureAwait(false);
                return;
            }

            if (path == Managed.ManagedSettingsEndpoint.Path)
            {
                await _managedSettings.HandleAsync(exchange, requestId, this).ConfigureAwait(false);
                return;
            }

            if (_oauth is not null && OAuthEndpoint.Serves(path))
            {
                // The gateway as authorization server (issue 9 item 3); /v1/.well-known/… too, for a base URL with /v1.
                await _oauth.HandleAsync(exchange, path, aborted).ConfigureAwait(false);
                return;
            }

            if (path.StartsWith("/v1/", StringComparison.Ordinal))
            {
                await _messages.HandleAsync(exchange, path, requestId, this).ConfigureAwait(false);
                return;
            }

            if (method == "GET" && path == "/")
            {
                await ResponseWriter.JsonAsync(exchange, 200, "{\"service\":\"basalt-gateway\"}"u8.ToArray(), aborted).ConfigureAwait(false);
                return;
            }

            await ResponseWriter.AnthropicErrorAsync(exchange, AnthropicError.NotFound($"{method} {path} is not served by this gateway"), requestId, aborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client left; the upstream call was cancelled with it.
        }
        finally
        {
            if (_accessLog is not null)
            {
                // The host's own access log writer (GatewayAccessLog says why it is not a logger line).
                var status = aborted.IsCancellationRequested && !exchange.HasStarted ? 499 : exchange.StatusCode;
                _accessLog.Write(requestId, method, path, status, (long)_time.GetElapsedTime(started).TotalMilliseconds);
            }
            else if (_logger.IsEnabled(LogLevel.Information))
            {
                var status = aborted.IsCancellationRequested && !exchange.HasStarted ? 499 : exchange.StatusCode;
                var elapsedMs = (long)_time.GetElapsedTime(started).TotalMilliseconds;
                GatewayLog.Access(_logger, requestId, method, path, status, elapsedMs);
            }
        }
    }

    /// <summary>Runs the authenticator chain on the exchange's bearer token / <c>x-api-key</c>.</summary>
    internal async ValueTask<AuthenticationResult> AuthenticateAsync(GatewayExchange exchange, string path, CancellationToken cancellationToken)
    {
        var authorization = exchange.GetHeader("authorization");
        string? bearer = null;
        if (authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            bearer = authorization[7..].Trim();
        }

        var request = new AuthenticationRequest(bearer, exchange.GetHeader("x-api-key"), path, exchange.RemoteAddress);
        if (string.IsNullOrEmpty(request.Credential) && authorization is not null && authorization.StartsWith("AWS4-HMAC-SHA256", StringComparison.Ordinal))
        {
            return AuthenticationResult.Reject("this gateway does not accept AWS SigV4 signatures: send the gateway key as a bearer token (Claude Code: CLAUDE_CODE_SKIP_BEDROCK_AUTH=1 with ANTHROPIC_AUTH_TOKEN; AWS SDKs: AWS_BEARER_TOKEN_BEDROCK)");
        }

        return await _authenticators.AuthenticateAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// May this exchange read <c>/metrics</c> (served by the host's Prometheus exporter)? Yes when usage says the
    /// scrape is public, or for an admin key / admin group credential; otherwise the refusal is written here.
    /// </summary>
    public async ValueTask<bool> AuthorizeMetricsAsync(GatewayExchange exchange)
    {
        ArgumentNullException.ThrowIfNull(exchange);
        if (_usage is null || Options.Usage.PublicMetrics)
        {
            return _usage is not null;
        }

        if (await _usage.AuthorizeAdminAsync(exchange, "/metrics", this, exchange.Aborted).ConfigureAwait(false) is { } refusal)
        {
            await ResponseWriter.AnthropicErrorAsync(exchange, refusal, NewRequestId(), exchange.Aborted).ConfigureAwait(false);
            return false;
        }

        return true;
    }

    /// <summary><c>/v1/v1/x</c> → <c>/v1/x</c>, trailing slash dropped; the rest stays percent-encoded.</summary>
    internal static string NormalizePath(string raw)
    {
        var path = raw.Length == 0 ? "/" : raw;
        while (path.StartsWith("/v1/v1/", StringComparison.Ordinal) || path == "/v1/v1")
        {
            path = path[3..];
        }

        if (path.Length > 1 && path.EndsWith('/'))
        {
            path = path.TrimEnd('/');
            if (path.Length == 0)
            {
                path = "/";
            }
        }

        return path;
    }

    /// <summary>Time-ordered, so the store's primary key index appends instead of writing a random leaf (UsageRequestId).</summary>
    private static string NewRequestId() => UsageRequestId.New(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    public ValueTask DisposeAsync()
    {
        foreach (var upstream in _upstreams.Values)
        {
            upstream.Dispose();
        }

        _dashboard?.Dispose();

        return ValueTask.CompletedTask;
    }

    private sealed class AllowAll : IAdmissionPolicy
    {
        public static readonly AllowAll Instance = new();

        public ValueTask<AdmissionDecision> AdmitAsync(AdmissionRequest request, CancellationToken cancellationToken) => ValueTask.FromResult(AdmissionDecision.Admit(AdmissionTicket.None));
    }
}
