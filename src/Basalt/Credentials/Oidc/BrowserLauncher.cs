using System.ComponentModel;
using System.Diagnostics;
using Basalt.Credentials.Profiles;

namespace Basalt.Credentials.Oidc;

/// <summary>
/// Opens a URL in the user's browser. <c>$BROWSER</c> wins when set (the convention of Python's webbrowser, git
/// and xdg-utils: a <see cref="Path.PathSeparator"/>-separated list of commands tried in order, <c>%s</c> replaced by
/// the URL or the URL appended); otherwise the platform opener (<c>open</c>, <c>xdg-open</c>, the Windows shell).
/// The browser's own output is discarded so it can never mix into a credential printed on stdout.
/// </summary>
internal sealed class BrowserLauncher(Func<string, string?> environment)
{
    /// <summary>Returns true when a browser command started (whether it shows the page is beyond our knowledge).</summary>
    public bool TryOpen(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var browser = environment("BROWSER");
        if (!string.IsNullOrWhiteSpace(browser))
        {
            foreach (var entry in browser.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var words = SplitCommandLine(entry);
                if (words.Count == 0)
                {
                    continue;
                }

                var substituted = words.Any(w => w.Contains("%s", StringComparison.Ordinal));
                var args = words.Skip(1).Select(w => w.Replace("%s", url.AbsoluteUri, StringComparison.Ordinal).Replace("%%", "%", StringComparison.Ordinal)).ToList();
                if (!substituted)
                {
                    args.Add(url.AbsoluteUri);
                }

                if (TryStart(new ProcessStartInfo(words[0].Replace("%s", url.AbsoluteUri, StringComparison.Ordinal)), args))
                {
                    return true;
                }
            }

            return false;
        }

        if (OperatingSystem.IsWindows())
        {
            return TryStart(new ProcessStartInfo(url.AbsoluteUri) { UseShellExecute = true }, []);
        }

        return TryStart(new ProcessStartInfo(OperatingSystem.IsMacOS() ? "open" : "xdg-open"), [url.AbsoluteUri]);
    }

    private static bool TryStart(ProcessStartInfo info, IEnumerable<string> args)
    {
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        if (!info.UseShellExecute)
        {
            info.RedirectStandardInput = true;
            info.RedirectStandardOutput = true;
            info.RedirectStandardError = true;
        }

        try
        {
            var process = Process.Start(info);
            if (process is null)
            {
                return false;
            }

            if (!info.UseShellExecute)
            {
                process.StandardInput.Close();
                process.OutputDataReceived += static (_, _) => { };
                process.ErrorDataReceived += static (_, _) => { };
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
                process.EnableRaisingEvents = true;
                process.Exited += static (sender, _) => ((Process)sender!).Dispose();
            }
            else
            {
                process.Dispose();
            }

            return true;
        }
        catch (Win32Exception)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>
    /// Splits one <c>$BROWSER</c> entry into words with the same rules the AWS CLI applies to
    /// <c>credential_process</c> (<see cref="ShellWords.TrySplit"/>); an entry that does not split (an unclosed
    /// quote) yields no words and is skipped.
    /// </summary>
    internal static List<string> SplitCommandLine(string command)
        => ShellWords.TrySplit(command, out var words) ? words : [];
}
