using Basalt.Emulator.Faults;
using Basalt.Emulator.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Basalt.Emulator;

/// <summary>Adds fault injection (docs/emulator.md, "Faults") to an emulator host.</summary>
public static class FaultsApplicationBuilderExtensions
{
    /// <summary>
    /// Injects faults from <paramref name="options"/> (seeded percentage rules) and from the per-request
    /// <c>x-basalt-fault</c> header into every emulated service (Bedrock, STS, IAM Identity Center). Place it after
    /// the middleware that assigns request ids and before the endpoints.
    /// </summary>
    public static IApplicationBuilder UseFaults(this IApplicationBuilder app, FaultOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        var emulator = app.ApplicationServices.GetRequiredService<EmulatorContext>();
        var injector = new FaultInjector(options ?? FaultOptions.None);
        return app.Use(next => new FaultMiddleware(next, injector, emulator.Log, emulator.Time).InvokeAsync);
    }
}
