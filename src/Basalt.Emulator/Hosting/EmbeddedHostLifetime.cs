using Microsoft.Extensions.Hosting;

namespace Basalt.Emulator.Hosting;

/// <summary>
/// The emulator runs inside someone else's process (the CLI, a test run), so it must not take over Ctrl+C and
/// SIGTERM the way ASP.NET Core's default console lifetime does; its owner stops it by disposing it.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
