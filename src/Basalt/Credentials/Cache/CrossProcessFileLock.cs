using Basalt.IO;

namespace Basalt.Credentials.Cache;

/// <summary>
/// An exclusive lock shared by all processes of the user: a lock file opened with <see cref="FileShare.None"/>
/// (an <c>flock(LOCK_EX)</c> on Unix, a share-mode lock on Windows). The OS drops the lock when the holder's handle
/// closes, including when the process is killed, so a crashed helper never blocks the next one; no PID files or
/// TCP ports (a port can be taken by anything, and a PID can be reused). The file itself stays on disk: deleting it
/// on release would let a waiter lock the old, unlinked inode while a newcomer locks a new file.
/// </summary>
public sealed class CrossProcessFileLock : IDisposable
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMilliseconds(250);

    private readonly FileStream _stream;

    private CrossProcessFileLock(FileStream stream, string path)
    {
        _stream = stream;
        Path = path;
    }

    public string Path { get; }

    /// <summary>Waits for the lock, retrying with exponential backoff and jitter until <paramref name="timeout"/>.</summary>
    /// <exception cref="TimeoutException">Another process held the lock for longer than <paramref name="timeout"/>.</exception>
    public static async Task<CrossProcessFileLock> AcquireAsync(string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        var started = TimeProvider.System.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (TryAcquire(path) is { } acquired)
            {
                return acquired;
            }

            if (TimeProvider.System.GetElapsedTime(started) >= timeout)
            {
                throw new TimeoutException($"another process held the lock {path} for more than {timeout.TotalSeconds:0} s");
            }

            var jitter = TimeSpan.FromMilliseconds(Random.Shared.Next(0, (int)Math.Max(1, delay.TotalMilliseconds / 2)));
            await Task.Delay(delay + jitter, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    /// <summary>One attempt; null when another handle holds the lock.</summary>
    public static CrossProcessFileLock? TryAcquire(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var options = new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = AtomicFile.OwnerOnly;
        }

        try
        {
            return new CrossProcessFileLock(new FileStream(path, options), path);
        }
        catch (IOException)
        {
            // Sharing violation (Windows) or EWOULDBLOCK from flock (Unix): someone else holds it.
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            // Windows reports a file being deleted/recreated concurrently this way; retry like a busy lock.
            return null;
        }
    }

    public void Dispose() => _stream.Dispose();
}
