using System.Net;
using System.Security.Cryptography.X509Certificates;
using Basalt.Gateway.Configuration;
using Basalt.Gateway.Hosting;
using Basalt.Identity;
using Basalt.Usage.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Basalt.Gateway.Host;

/// <summary>
/// Basalt's gateway on Kestrel (issue 8 item 1), hosted in-process by <c>basalt gateway serve</c>, tests and the
/// benchmark. Listeners (HTTP/1.1 and HTTP/2; TLS from PEM files) come from the configuration; every request goes
/// to <see cref="GatewayHandler"/>. Stopping drains: Kestrel stops accepting, in-flight streams get
/// <see cref="GatewayLimits.DrainTimeout"/> to finish, then they are cancelled (issue 8 item 8).
/// </summary>
public sealed class GatewayServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly GatewayTelemetry? _telemetry;
    private Basalt.Gateway.Policy.PolicyRecorder? _policyRecorder;
    private readonly Authentication.GatewayAuthenticators _identity;
    private TimeProvider? _time;
    private GatewayAccessLog? _accessLog;

    private GatewayServer(WebApplication app, GatewayHandler handler, IReadOnlyList<Uri> addresses, GatewayTelemetry? telemetry, Authentication.GatewayAuthenticators identity)
    {
        _app = app;
        _telemetry = telemetry;
        _identity = identity;
        Handler = handler;
        Addresses = addresses;
    }

    public GatewayHandler Handler { get; }

    /// <summary>The bound addresses (port 0 in the configuration becomes the chosen port).</summary>
    public IReadOnlyList<Uri> Addresses { get; }

    public Uri BaseAddress => Addresses[0];

    /// <summary>Usage started from the configuration (null when disabled or when the caller gave its own sink).</summary>
    public UsageServices? Usage => _telemetry?.Usage;

    /// <summary>This gateway's managed keys (null when <c>identity.managedKeys</c> is not configured).</summary>
    public Identity.ApiKeys.ApiKeyService? ApiKeys => _identity.ApiKeys;

    /// <summary>This gateway's OAuth authorization server (null when <c>identity.oauth</c> is not configured).</summary>
    public Identity.OAuth.OAuthAuthority? OAuth => _identity.OAuth;

    public static async Task<GatewayServer> StartAsync(GatewayServerOptions server, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        var options = server.Gateway;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, Args = [] });
        builder.Logging.ClearProviders();
        if (server.ConfigureLogging is { } configure)
        {
            configure(builder.Logging);
        }

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.Limits.DrainTimeout);
        var bound = new List<(ListenOptions Listen, bool Https)>();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.Limits.MaxBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = options.Limits.MaxHeaderBytes;
            kestrel.Limits.MaxConcurrentConnections = null;
            kestrel.Limits.MinResponseDataRate = null;
            foreach (var listener in options.Listeners)
            {
                var address = listener.Host is "localhost" ? IPAddress.Loopback : IPAddress.Parse(listener.Host);
                kestrel.Listen(address, listener.Port, listen =>
                {
                    // Without TLS there is no ALPN, so cleartext stays HTTP/1.1 (h2c needs prior knowledge on an
                    // HTTP/2-only endpoint); with TLS both are offered.
                    listen.Protocols = listener.IsHttps && listener.Http2 ? HttpProtocols.Http1AndHttp2 : HttpProtocols.Http1;
                    if (listener.IsHttps)
                    {
                        listen.UseHttps(X509Certificate2.CreateFromPemFile(listener.CertificateFile!, listener.KeyFile));
                    }

                    bound.Add((listen, listener.IsHttps));
                });
            }
        });
        builder.Services.AddSingleton<IHostLifetime, NoSignalLifetime>();
        GatewayTelemetry.AddLogExport(builder.Logging, options.Usage);

        // Usage (issue 10): started from the configuration unless the caller brings its own sink.
        var telemetry = server.UsageSink is null ? await GatewayTelemetry.StartAsync(options.Usage, server.Catalogue, cancellationToken).ConfigureAwait(false) : null;
        var app = builder.Build();
        var loggers = app.Services.GetRequiredService<ILoggerFactory>();
        var usage = server.UsageSink ?? telemetry?.Usage.Sink ?? (Basalt.Usage.IUsageSink)new LoggingUsageSink(loggers.CreateLogger<LoggingUsageSink>());
        // Configured keys, managed keys, OIDC issuers (issue 9), then any the embedding code adds.
        var identity = await Authentication.GatewayAuthenticators.CreateAsync(options, server.TimeProvider, cancellationToken).ConfigureAwait(false);
        var authenticators = identity.Chain.Concat(server.Authenticators);
        // Content policy (issue 12): the archive and the policy audit log, when the configuration asks for them.
        var policyRecorder = await Basalt.Gateway.Policy.PolicyRecorder.OpenAsync(options, null, server.TimeProvider, cancellationToken).ConfigureAwait(false);
        var accessLog = server.AccessLogOutput is { } accessOutput && !(options.Usage.Enabled && options.Usage.Export is not null)
            ? new GatewayAccessLog(accessOutput, server.TimeProvider)
            : null;
        var handler = new GatewayHandler(options, authenticators, usage, server.Admission ?? telemetry?.Usage.Admission, loggers, server.Catalogue, server.TimeProvider, policyRecorder: policyRecorder, usageServices: telemetry?.Usage, oauth: identity.OAuth, apiKeys: identity.ApiKeys, managedKeys: identity.ManagedKeys, accessLog: accessLog);
        telemetry?.MapMetrics(app, handler);
        app.Run(context => handler.HandleAsync(new HttpContextExchange(context)));
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            await handler.DisposeAsync().ConfigureAwait(false);
            if (accessLog is not null)
            {
                await accessLog.DisposeAsync().ConfigureAwait(false);
            }

            await identity.DisposeAsync().ConfigureAwait(false);
            policyRecorder.Dispose();
            if (telemetry is not null)
            {
                await telemetry.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }

        var addresses = bound.Select(l => new Uri($"{(l.Https ? "https" : "http")}://{l.Listen.IPEndPoint}/")).ToList();
        identity.OAuth?.UseAddress(addresses[0]);
        return new GatewayServer(app, handler, addresses, telemetry, identity) { _policyRecorder = policyRecorder, _time = server.TimeProvider, _accessLog = accessLog };
    }

    /// <summary>
    /// Applies a re-read configuration (SIGHUP in <c>basalt gateway serve</c>): keys, routing, groups, policies,
    /// budgets and rate limits swap atomically; a configuration with errors keeps the running one. The result is
    /// also shown in <c>/readyz</c>.
    /// </summary>
    public GatewayReloadResult Reload(GatewayConfigResult next) => GatewayReloader.Reload(Handler, next, _identity.ConfiguredKeys, _telemetry?.Usage.Admission, _time);

    /// <summary>Stops accepting, lets in-flight requests finish up to the drain timeout, then cancels them.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default) => await _app.StopAsync(cancellationToken).ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        await Handler.DisposeAsync().ConfigureAwait(false);
        if (_accessLog is not null)
        {
            // After the last request: every access line is written.
            await _accessLog.DisposeAsync().ConfigureAwait(false);
        }

        await _identity.DisposeAsync().ConfigureAwait(false);
        _policyRecorder?.Dispose();
        if (_telemetry is not null)
        {
            // After the last request: the journal is flushed into the store and leased limits go back.
            await _telemetry.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>In-process hosting: no console/SIGTERM hooks (the CLI owns signals and calls <see cref="StopAsync"/>).</summary>
    private sealed class NoSignalLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
