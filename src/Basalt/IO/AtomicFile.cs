using System.Text;

namespace Basalt.IO;

/// <summary>
/// Writes files so that readers see either the old content or the new, never a half-written file:
/// write a temp file in the same folder, flush it to disk, then rename over the target (rename is atomic
/// within one file system on POSIX and NTFS).
/// </summary>
public static class AtomicFile
{
    /// <summary>Unix mode for files that hold secrets: owner read/write only.</summary>
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static Task WriteAllTextAsync(string path, string contents, bool secret = false, CancellationToken cancellationToken = default)
        => WriteAllBytesAsync(path, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(contents), secret, cancellationToken);

    public static async Task WriteAllBytesAsync(string path, ReadOnlyMemory<byte> contents, bool secret = false, CancellationToken cancellationToken = default)
    {
        var (full, temp) = PrepareTemp(path);
        try
        {
            await using (var stream = new FileStream(temp, TempFileOptions(secret, FileOptions.Asynchronous)))
            {
                await stream.WriteAsync(contents, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Synchronous variant for start-up paths where async buys nothing (the native credential helper).</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> contents, bool secret = false)
    {
        var (full, temp) = PrepareTemp(path);
        try
        {
            using (var stream = new FileStream(temp, TempFileOptions(secret, FileOptions.None)))
            {
                stream.Write(contents);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>The full target path and a unique temp file beside it (same folder, so the rename stays on one file system).</summary>
    private static (string Full, string Temp) PrepareTemp(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        return (full, Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp"));
    }

    private static FileStreamOptions TempFileOptions(bool secret, FileOptions fileOptions)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            Options = fileOptions,
        };
        if (secret && !OperatingSystem.IsWindows())
        {
            // Create with 0600 from the start so the secret is never readable by others, not even briefly.
            options.UnixCreateMode = OwnerOnly;
        }

        return options;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
