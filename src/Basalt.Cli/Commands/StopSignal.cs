using System.Runtime.InteropServices;

namespace Basalt.Cli.Commands;

/// <summary>
/// Waits for Ctrl+C (SIGINT) or SIGTERM and turns either into a clean return instead of the runtime's default
/// kill, so servers a command started are disposed (listeners closed, child streams cancelled) before exit 0.
/// </summary>
internal static class StopSignal
{
    /// <summary>Completes when SIGINT or SIGTERM arrives, or <paramref name="cancellationToken"/> is cancelled.</summary>
    public static async Task WaitAsync(CancellationToken cancellationToken)
    {
        SignalDisposition.RestoreIgnored();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        void Stop(PosixSignalContext signal)
        {
            signal.Cancel = true;
            stop.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The signal (or the caller) asked to stop: that is the normal way out.
        }
    }
}
