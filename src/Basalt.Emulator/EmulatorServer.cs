using System.Net;
using Basalt.Emulator.Auth;
using Basalt.Emulator.Hosting;
using Basalt.Emulator.Http;
using Basalt.Emulator.IdentityCenter;
using Basalt.Emulator.Logging;
using Basalt.Emulator.Sts;
using Basalt.Emulator.Sts.WebIdentity;
using Basalt.Identity.Jwt;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Basalt.Emulator;

/// <summary>
/// The local AWS emulator, hosted in-process: Bedrock runtime and control plane, STS, IAM Identity Center OIDC
/// and portal, all on one loopback port and dispatched by path. Start it with <see cref="StartAsync"/>, point
/// clients' endpoint at <see cref="BaseAddress"/>, read <see cref="RequestLog"/> to see who called what.
/// The same app is also served over cleartext HTTP/2 at <see cref="Http2BaseAddress"/>.
/// </summary>
public sealed class EmulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _jwksHttp;
    private readonly EmulatorContext _context;

    private EmulatorServer(WebApplication app, HttpClient jwksHttp, EmulatorContext context, IdentityCenterStore identityCenter, Uri http2BaseAddress)
    {
        _app = app;
        Http2BaseAddress = http2BaseAddress;
        _jwksHttp = jwksHttp;
        _context = context;
        IdentityCenter = identityCenter;
    }

    /// <summary>The root URL of every emulated service, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress => _context.BaseAddress;

    /// <summary>
    /// The same services over cleartext HTTP/2 with prior knowledge (h2c, RFC 9113 §3.3), e.g.
    /// <c>http://127.0.0.1:41235/</c>. <c>@aws-sdk/client-bedrock-runtime</c>'s default <c>NodeHttp2Handler</c>
    /// needs this: Kestrel serves h2c only on an HTTP/2-only endpoint, so <see cref="BaseAddress"/> (HTTP/1.1) cannot.
    /// </summary>
    public Uri Http2BaseAddress { get; }

    /// <summary>Every call answered, with principal and outcome (the local CloudTrail).</summary>
    public RequestLog RequestLog => _context.Log;

    public TimeProvider TimeProvider => _context.Time;

    public EmulatorOptions Options => _context.Options;

    internal EmulatorContext Context => _context;

    internal IdentityCenterStore IdentityCenter { get; }

    /// <summary>Starts the emulator and returns once it accepts connections.</summary>
    /// <exception cref="ArgumentException">The options carry error diagnostics (check <see cref="EmulatorOptions.HasErrors"/> first).</exception>
    public static async Task<EmulatorServer> StartAsync(EmulatorOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.HasErrors)
        {
            throw new ArgumentException($"the emulator options have errors: {string.Join("; ", options.Diagnostics.Where(d => d.IsError))}", nameof(options));
        }

        var context = new EmulatorContext(options);
        var identityCenter = new IdentityCenterStore(options.IdentityCenter, context.Time);
        var jwksHttp = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, Args = [] });
        builder.Logging.ClearProviders();
        ListenOptions? http1 = null;
        ListenOptions? http2 = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = EmulatorHttp.MaxBufferedBody;
            http1 = Listen(kestrel, options.Host, options.Port, HttpProtocols.Http1);
            // Without TLS there is no ALPN, so a client can only open HTTP/2 with prior knowledge; Kestrel accepts
            // that only on an endpoint whose sole protocol is HTTP/2.
            http2 = Listen(kestrel, options.Host, options.Http2Port, HttpProtocols.Http2);
        });
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, EmbeddedHostLifetime>();
        builder.Services.AddSingleton(context);
        builder.Services.AddSingleton(context.Log);
        builder.Services.AddSingleton(context.Identities);
        builder.Services.AddSingleton<EmulatorAuthenticator>(context.Authenticator);

        var app = builder.Build();
        app.Use(EmulatorHttp.Middleware(context.Time));

        // Bedrock side (src/Basalt.Emulator/Bedrock, Faults): fault injection wraps every service; Bedrock maps its own paths.
        app.UseFaults(options.Faults);
        app.MapBedrock(options.Bedrock);

        var sts = new StsService(context, new WebIdentityValidator(context.Identities, jwksHttp, new SigningKeyCache(TimeProvider.System)));
        app.MapIdentityServices(context, sts, new OidcService(context, identityCenter), new PortalService(context, identityCenter), new ApprovalPage(context, identityCenter), new AuthorizePage(context, identityCenter));

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            jwksHttp.Dispose();
            throw;
        }

        context.BaseAddress = AddressOf(http1!, options.Host, options.Port);
        return new EmulatorServer(app, jwksHttp, context, identityCenter, AddressOf(http2!, options.Host, options.Http2Port));
    }

    private static ListenOptions Listen(KestrelServerOptions kestrel, string host, int port, HttpProtocols protocols)
    {
        ListenOptions? bound = null;
        void Configure(ListenOptions listen)
        {
            listen.Protocols = protocols;
            bound = listen;
        }

        // Kestrel cannot pick a free port for "localhost" (it binds IPv4 and IPv6 separately), so port 0 there
        // means a free port on 127.0.0.1.
        if (IsLocalhost(host) && port != 0)
        {
            kestrel.ListenLocalhost(port, Configure);
        }
        else
        {
            kestrel.Listen(IsLocalhost(host) ? IPAddress.Loopback : IPAddress.Parse(host), port, Configure);
        }

        return bound!;
    }

    /// <summary>Kestrel writes the port it bound back into the listen options, so port 0 reads as the chosen one.</summary>
    private static Uri AddressOf(ListenOptions listen, string host, int port)
        => IsLocalhost(host) && port != 0 ? new Uri($"http://localhost:{port}/") : new Uri($"http://{listen.IPEndPoint}/");

    private static bool IsLocalhost(string host) => string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        _jwksHttp.Dispose();
    }
}
