using System.Runtime.InteropServices;

namespace Basalt.Cli.Commands;

/// <summary>
/// Un-ignores the signals a long-running command answers (SIGHUP reload, SIGTERM drain) when the process inherited
/// them as ignored. POSIX keeps <c>SIG_IGN</c> across exec (execve(2)), and <c>nohup</c> sets it for SIGHUP; a
/// <see cref="PosixSignalRegistration"/> made on top of it did not always take (a gateway started by <c>env
/// --ignore-signal=HUP</c> still had SIGHUP ignored after start-up in one full CLI test run, and three SIGHUP tests timed
/// out when the suite ran under nohup). Servers such as nginx install their handlers whatever they inherited: an
/// operator who sends the signal asked for the action.
/// SIGINT is left alone: a script's background job inherits it ignored on purpose (bash(1), "SIGNALS": Ctrl+C at the
/// script must not reach it), and the .NET runtime decides at start-up not to handle an ignored SIGINT, so un-ignoring
/// it later would only let it kill the process without draining (measured: exit 130). Such a server stops on SIGTERM.
/// </summary>
internal static class SignalDisposition
{
    private const int Sighup = 1;
    private const int Sigterm = 15;
    private const long SigIgn = 1;

    /// <summary>
    /// Resets SIGHUP and SIGTERM to their default disposition where they are ignored, before the caller registers its
    /// handlers. A signal with a handler (the runtime's own SIGTERM handler) is left untouched.
    /// </summary>
    public static void RestoreIgnored()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD())
        {
            return;
        }

        RestoreIfIgnored(Sighup);
        RestoreIfIgnored(Sigterm);
    }

    private static void RestoreIfIgnored(int signal)
    {
        // struct sigaction begins with the handler on glibc, musl and the BSDs; 256 bytes covers every layout
        // (glibc x64/arm64: 152). A zeroed struct is SIG_DFL with an empty mask and no flags.
        var current = new byte[256];
        if (SigAction(signal, null, current) != 0 || BitConverter.ToInt64(current, 0) != SigIgn)
        {
            return;
        }

        _ = SigAction(signal, new byte[256], null);
    }

    [DllImport("libc", EntryPoint = "sigaction", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SigAction(int signal, [In] byte[]? action, [Out] byte[]? oldAction);
}
