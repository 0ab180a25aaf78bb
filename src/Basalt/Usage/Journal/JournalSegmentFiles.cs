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

    public static void TruncateTornTail(string path)
    {
        // Everything after the last newline goes: a torn line (never acknowledged) or the zero-filled allocation
        // of a segment that was being written when the process died. Read backwards in blocks.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        var length = stream.Length;
        var keep = 0L;
        var block = new byte[64 * 1024];
        for (var end = length; end > 0 && keep == 0;)
        {
            var start = Math.Max(0, end - block.Length);
            stream.Position = start;
            stream.ReadExactly(block, 0, (int)(end - start));
            var i = block.AsSpan(0, (int)(end - start)).LastIndexOf((byte)'\n');
            if (i >= 0)
            {
                keep = start + i + 1;
            }

            end = start;
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
