using System.Diagnostics;
using Basalt.Credentials.Profiles;

namespace Basalt.Credentials.IdentityCenter;

/// <summary>
/// Opens the verification page in the user's browser (cowork3p-reference §8: "opens the access portal in the
/// system browser"). <c>$BROWSER</c> is honoured the way Python's <c>webbrowser</c> (and so the AWS CLI) honours it: a
/// list of commands separated by the path separator, <c>%s</c> replaced by the URL or the URL appended. Without
/// <c>$BROWSER</c>, a Linux machine with neither <c>DISPLAY</c> nor <c>WAYLAND_DISPLAY</c>, or any SSH session, has
/// no browser to open; the caller then only prints the URL and code.
/// </summary>
internal sealed class BrowserLauncher(CredentialEnvironment environment)
{
    /// <summary>True when there is no local display to open a browser on.</summary>
    public bool IsHeadless
    {
        get
        {
            if (environment.Get("SSH_CONNECTION") is not null || environment.Get("SSH_TTY") is not null || environment.Get("SSH_CLIENT") is not null)
            {
                return true;
            }

            return OperatingSystem.IsLinux() || OperatingSystem.IsFreeBSD()
                ? environment.Get("DISPLAY") is null && environment.Get("WAYLAND_DISPLAY") is null
                : false;
        }
    }

    /// <summary>Starts a browser on <paramref name="url"/> without waiting for it; false when none could be started.</summary>
    public bool TryOpen(string url)
    {
        if (environment.Get("BROWSER") is { } browsers)
        {
            foreach (var command in browsers.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!ShellWords.TrySplit(command, out var words) || words.Count == 0)
                {
                    continue;
                }

                var hasPlaceholder = words.Any(w => w.Contains("%s", StringComparison.Ordinal));
                var args = words.Skip(1).Select(w => w.Replace("%s", url, StringComparison.Ordinal)).ToList();
                if (!hasPlaceholder)
                {
                    args.Add(url);
                }

                var program = words[0].Replace("%s", url, StringComparison.Ordinal);
                if (TryStart(program, args))
                {
                    return true;
                }
            }

            return false;
        }

        if (IsHeadless)
        {
            return false;
        }

        if (OperatingSystem.IsMacOS())
        {
            return TryStart("open", [url]);
        }

        if (OperatingSystem.IsWindows())
        {
            // rundll32 opens the default handler without a console window and without cmd's quoting rules.
            return TryStart("rundll32", ["url.dll,FileProtocolHandler", url]);
        }

        return TryStart("xdg-open", [url]) || TryStart("sensible-browser", [url]);
    }

    private bool TryStart(string program, IReadOnlyList<string> args)
    {
        var info = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardInput = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment.Clear();
        foreach (var (k, v) in environment.Variables)
        {
            info.Environment[k] = v;
        }

        try
        {
            var process = Process.Start(info);
            if (process is null)
            {
                return false;
            }

            // Drain and release in the background; the browser's chatter must not reach stdout (it is the credential channel).
            _ = Task.Run(async () =>
            {
                using (process)
                {
                    await Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync()).ConfigureAwait(false);
                    await process.WaitForExitAsync().ConfigureAwait(false);
                }
            });
            return true;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
