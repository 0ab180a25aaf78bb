using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Basalt.Usage.Journal;

/// <summary>
/// The journal's files on disk: segment names (<c>usage-000000000001.jsonl</c>, ordered by number), the data-only
/// sync the group commit relies on, and the cut of a torn tail at start. Kept apart from <see cref="UsageJournal"/>,
/// which decides when to write, sync and roll.
/// </summary>
internal static class JournalSegmentFiles
{
    public const string Prefix = "usage-";
    public const string Suffix = ".jsonl";

    /// <summary>fdatasync on Linux (the blocks and size are already durable: see <see cref="UsageJournal"/>), fsync elsewhere.</summary>
    public static void SyncData(FileStream stream)
    {
        if (OperatingSystem.IsLinux())
        {
            if (FDataSync(stream.SafeFileHandle) != 0)
            {
                throw new IOException($"fdatasync failed (errno {Marshal.GetLastPInvokeError()})");
            }

            return;
        }

        stream.Flush(flushToDisk: true);
    }

    [DllImport("libc", EntryPoint = "fdatasync", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int FDataSync(SafeFileHandle fd);

    public static string SegmentPath(string directory, long segment) =>
        Path.Combine(directory, Prefix + segment.ToString("D12", CultureInfo.InvariantCulture) + Suffix);

    public static List<long> ListSegments(string directory)
    {
        var list = new List<long>();
        foreach (var f in System.IO.Directory.EnumerateFiles(directory, Prefix + "*" + Suffix))
        {
            var name = Path.GetFileName(f);
            if (long.TryParse(name.AsSpan(Prefix.Length, name.Length - Prefix.Length - Suffix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                list.Add(n);
            }
        }

        list.Sort();
        return list;
    }

    /// <summary>
    /// Cuts a segment after the last complete line before its first zero byte. Beyond it lie a torn line (never
    /// acknowledged), the zero-filled allocation of a segment that was being written when the process died, or —
    /// after a power loss — lines whose blocks never reached the disk: the writes of one commit or of one sync
    /// interval reach the disk in no set order, so a zero hole can lie before lines that did. No JSON line contains a
    /// zero byte, and nothing after a hole was ever synced, so it all goes (a sync per commit: those records were
    /// never acknowledged; with a sync interval: they are the window a power loss may lose).
    /// </summary>
    public static void TruncateTornTail(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        var length = stream.Length;
        var keep = 0L;
        var block = new byte[64 * 1024];
        for (var start = 0L; start < length;)
        {
            var span = block.AsSpan(0, (int)Math.Min(block.Length, length - start));
            stream.Position = start;
            stream.ReadExactly(span);
            var zero = span.IndexOf((byte)0);
            var lines = zero < 0 ? span : span[..zero];
            var newline = lines.LastIndexOf((byte)'\n');
            if (newline >= 0)
            {
                keep = start + newline + 1;
            }

            if (zero >= 0)
            {
                break;
            }

            start += span.Length;
        }

        if (keep != length)
        {
            stream.SetLength(keep);
            stream.Flush(flushToDisk: true);
        }
    }

    /// <summary>Deletes the segments wholly before <paramref name="segment"/> (all their records are in the store).</summary>
    public static void DeleteBefore(string directory, long segment)
    {
        foreach (var s in ListSegments(directory))
        {
            if (s < segment)
            {
                File.Delete(SegmentPath(directory, s));
            }
        }
    }
}
