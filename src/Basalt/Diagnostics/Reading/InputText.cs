using System.Text;

namespace Basalt.Diagnostics.Reading;

/// <summary>
/// Turns outside bytes into text within <see cref="InputLimits"/>: the size is checked before anything is decoded,
/// only regular files are read (a path to <c>/dev/zero</c> or a FIFO is refused, not streamed), and invalid UTF-8
/// is a diagnostic at its line and column instead of a silent U+FFFD.
/// </summary>
public static class InputText
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Why a file could not be read, or null when it was.</summary>
    public enum FileProblem
    {
        None = 0,
        NotFound,
        NotRegularFile,
        TooLarge,
        Unreadable,
    }

    /// <summary>
    /// Reads at most <paramref name="maxBytes"/> bytes of a regular file. Returns null and sets <paramref name="problem"/>
    /// when the path is missing, is not a regular file (device, FIFO, folder), is larger, or cannot be read.
    /// </summary>
    public static byte[]? ReadFile(string path, long maxBytes, out FileProblem problem)
    {
        problem = FileProblem.None;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                problem = Directory.Exists(path) ? FileProblem.NotRegularFile : FileProblem.NotFound;
                return null;
            }

            // Character devices, FIFOs and sockets report as files on Unix; only a regular file has a meaningful length.
            if (!UnixFileType.IsRegularOrUnknown(path))
            {
                problem = FileProblem.NotRegularFile;
                return null;
            }

            if (info.Length > maxBytes)
            {
                problem = FileProblem.TooLarge;
                return null;
            }

            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
            // Read one byte past the cap so a file that grew after the length check is still refused.
            var buffer = new byte[Math.Min(maxBytes + 1, Math.Max(info.Length + 1, 1))];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0)
            {
                total += read;
            }

            if (total > maxBytes || (total == buffer.Length && stream.ReadByte() >= 0))
            {
                problem = FileProblem.TooLarge;
                return null;
            }

            return buffer.AsSpan(0, total).ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = ex is FileNotFoundException or DirectoryNotFoundException ? FileProblem.NotFound : FileProblem.Unreadable;
            return null;
        }
    }

    /// <summary>
    /// Decodes UTF-8 (a leading BOM is dropped). Returns null with one diagnostic when the input is larger than
    /// <see cref="InputLimits.MaxInputBytes"/> or not valid UTF-8.
    /// </summary>
    public static string? Decode(ReadOnlySpan<byte> bytes, string file, InputLimits limits, ICollection<Diagnostic> diagnostics)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(diagnostics);
        if (bytes.Length > limits.MaxInputBytes)
        {
            diagnostics.Add(TooLarge(file, bytes.Length, limits));
            return null;
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bytes = bytes[3..];
        }

        try
        {
            return Strict.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            var index = ex.Index >= 0 ? ex.Index : FirstInvalid(bytes);
            var (line, column) = Position(bytes, index);
            diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, InputDiagnosticCodes.InvalidEncoding,
                "the input is not valid UTF-8 at this position", Location: new SourceLocation(file, line, column),
                Fix: "save the file as UTF-8 (without bytes from another encoding)"));
            return null;
        }
    }

    /// <summary>The diagnostic for input over <see cref="InputLimits.MaxInputBytes"/>.</summary>
    public static Diagnostic TooLarge(string file, long size, InputLimits limits)
        => new(DiagnosticSeverity.Error, InputDiagnosticCodes.LimitExceeded,
            $"the input is {size:N0} bytes; the limit is {limits.MaxInputBytes:N0} bytes (input bytes)",
            Location: new SourceLocation(file), Fix: "split the input or remove what does not belong in it; real files are a few KiB");

    private static int FirstInvalid(ReadOnlySpan<byte> bytes)
    {
        var i = 0;
        while (i < bytes.Length)
        {
            if (Rune.DecodeFromUtf8(bytes[i..], out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return i;
            }

            i += consumed;
        }

        return 0;
    }

    private static (int Line, int Column) Position(ReadOnlySpan<byte> bytes, int index)
    {
        var line = 1;
        var column = 1;
        var i = 0;
        while (i < index && i < bytes.Length)
        {
            if (bytes[i] == (byte)'\n')
            {
                line++;
                column = 1;
                i++;
                continue;
            }

            Rune.DecodeFromUtf8(bytes[i..], out _, out var consumed);
            i += Math.Max(1, consumed);
            column++;
        }

        return (line, column);
    }
}
