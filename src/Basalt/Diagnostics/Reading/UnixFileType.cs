using System.Runtime.InteropServices;

namespace Basalt.Diagnostics.Reading;

/// <summary>
/// Tells a regular file from a device, FIFO or socket. .NET reports <c>/dev/zero</c> as an ordinary file of length 0
/// that can be seeked (measured: <c>FileInfo.Attributes == Normal</c>, <c>CanSeek == true</c>), so reading it "bounded"
/// would still stream zeros and a FIFO would block; only <c>stat(2)</c>'s <c>st_mode</c> tells them apart.
/// </summary>
internal static partial class UnixFileType
{
    private const uint TypeMask = 0xF000; // S_IFMT
    private const uint Regular = 0x8000;  // S_IFREG

    /// <summary>False only when <c>stat</c> says the path is not a regular file; true on Windows or when it cannot tell.</summary>
    public static bool IsRegularOrUnknown(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        var mode = Mode(path);
        return mode is null || (mode.Value & TypeMask) == Regular;
    }

    private static uint? Mode(string path)
    {
        // st_mode's offset in struct stat (glibc and Darwin 64-bit-inode layouts).
        int offset;
        bool darwin = OperatingSystem.IsMacOS();
        if (OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64)
        {
            offset = 24;
        }
        else if (OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.Arm64)
        {
            offset = 16;
        }
        else if (darwin)
        {
            offset = 4;
        }
        else
        {
            return null;
        }

        var buffer = new byte[512];
        try
        {
            var rc = darwin && RuntimeInformation.ProcessArchitecture == Architecture.X64 ? StatDarwinX64(path, buffer) : Stat(path, buffer);
            if (rc != 0)
            {
                return null;
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }

        return darwin ? BitConverter.ToUInt16(buffer, offset) : BitConverter.ToUInt32(buffer, offset);
    }

    [DllImport("libc", EntryPoint = "stat", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Stat(string path, byte[] buffer);

    [DllImport("libc", EntryPoint = "stat$INODE64", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int StatDarwinX64(string path, byte[] buffer);
}
