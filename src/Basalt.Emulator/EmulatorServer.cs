using System.Net;
using Basalt.Emulator.Auth;
using Basalt.Emulator.Hosting;
using Basalt.Emulator.Http;
using Basalt.Emulator.IdentityCenter;
using Basalt.Emulator.Logging;
using Basalt.Emulator.Sts;
using Basalt.Emulator.Sts.WebIdentity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Basalt.Emulator;

/// <summary>
/// The local AWS emulator, hosted in-process: Bedrock runtime and control plane, STS, IAM Identity Center OIDC
/// and portal, all on one loopback port and dispatched by path. Start it with <see cref="StartAsync"/>, point
/// clients' endpoint at <see cref="BaseAddress"/>, read <see cref="RequestLog"/> to see who called what.
/// </summary>
public sealed class EmulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _jwksHttp;
    private readonly EmulatorContext _context;

    private EmulatorServer(WebApplication app, HttpClient jwksHttp, EmulatorContext context, IdentityCenterStore identityCenter)
    {
        _app = app;
        _jwksHttp = jwksHttp;
        _context = context;
        IdentityCenter = identityCenter;
    }

    /// <summary>The root URL of every emulated service, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress => _context.BaseAddress;

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
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = EmulatorHttp.MaxBufferedBody;
            if (string.Equals(options.Host, "localhost", StringComparison.OrdinalIgnoreCase))
            {
                kestrel.ListenLocalhost(options.Port);
            }
            else
            {
                kestrel.Listen(IPAddress.Parse(options.Host), options.Port);
            }
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

        var sts = new StsService(context, new WebIdentityValidator(context.Identities, new JwksSource(jwksHttp)));
        app.MapIdentityServices(context, sts, new OidcService(context, identityCenter), new PortalService(context, identityCenter), new ApprovalPage(context, identityCenter));

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

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        context.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        return new EmulatorServer(app, jwksHttp, context, identityCenter);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        _jwksHttp.Dispose();
    }
}
