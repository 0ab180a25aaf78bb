using System.ComponentModel;
using System.Diagnostics;
using Basalt.Credentials.Profiles;

namespace Basalt.Credentials.Browser;

/// <summary>
/// Opens a sign-in page in the user's browser: the one launcher of the IAM Identity Center device flow
/// (cowork3p-reference §8: "opens the access portal in the system browser") and the OIDC authorization-code flow.
/// <c>$BROWSER</c> wins when set, honoured the way Python's <c>webbrowser</c> (and so the AWS CLI), git and xdg-utils
/// honour it: a <see cref="Path.PathSeparator"/>-separated list of commands tried in order, <c>%s</c> replaced by the
/// URL or the URL appended. Without <c>$BROWSER</c>, a Linux machine with neither <c>DISPLAY</c> nor
/// <c>WAYLAND_DISPLAY</c>, or any SSH session, has no browser to open; the caller then only prints the URL.
/// The browser's own output is discarded so it can never mix into a credential printed on stdout.
/// </summary>
internal sealed class BrowserLauncher
{
    private readonly Func<string, string?> _variable;
    private readonly IReadOnlyDictionary<string, string>? _childEnvironment;

    /// <summary>A launcher whose browser runs in <paramref name="environment"/> (tests pass a sandbox).</summary>
    public BrowserLauncher(CredentialEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        _variable = environment.Get;
        _childEnvironment = environment.Variables;
    }

    /// <summary>A launcher that reads its variables from <paramref name="variable"/>; the browser inherits this process's environment.</summary>
    public BrowserLauncher(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        _variable = variable;
    }

    /// <summary>True in an SSH session: a browser started here would not be on the user's screen.</summary>
    public bool IsRemoteSession => Has("SSH_CONNECTION") || Has("SSH_TTY") || Has("SSH_CLIENT");

    /// <summary>
    /// True when there is no local display to open a browser on. macOS and Windows always have a desktop session
    /// for a logged-in user; Linux and the BSDs need X11 or Wayland.
    /// </summary>
    public bool IsHeadless => IsRemoteSession
        || (!OperatingSystem.IsWindows() && !OperatingSystem.IsMacOS() && !Has("DISPLAY") && !Has("WAYLAND_DISPLAY"));

    /// <summary>
    /// True when a browser on this machine can complete a loopback redirect: not over SSH, and either an explicit
    /// <c>$BROWSER</c> (a working command even without a display, e.g. a terminal browser) or a local display.
    /// </summary>
    public bool CanOpenLocally => !IsRemoteSession && (Has("BROWSER") || !IsHeadless);

    /// <summary>Starts a browser on <paramref name="url"/> without waiting for it; false when none could be started.</summary>
    public bool TryOpen(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return TryOpen(url.AbsoluteUri);
    }

    /// <summary>Starts a browser on <paramref name="url"/> without waiting for it; false when none could be started.</summary>
    public bool TryOpen(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var browsers = _variable("BROWSER");
        if (!string.IsNullOrWhiteSpace(browsers))
        {
            foreach (var entry in browsers.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var words = SplitCommandLine(entry);
                if (words.Count == 0)
                {
                    continue;
                }

                var substituted = words.Any(w => w.Contains("%s", StringComparison.Ordinal));
                var args = words.Skip(1).Select(w => w.Replace("%s", url, StringComparison.Ordinal).Replace("%%", "%", StringComparison.Ordinal)).ToList();
                if (!substituted)
                {
                    args.Add(url);
                }

                if (TryStart(words[0].Replace("%s", url, StringComparison.Ordinal), args))
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

    /// <summary>
    /// Splits one <c>$BROWSER</c> entry into words with the same rules the AWS CLI applies to
    /// <c>credential_process</c> (<see cref="ShellWords.TrySplit"/>); an entry that does not split (an unclosed
    /// quote) yields no words and is skipped.
    /// </summary>
    internal static List<string> SplitCommandLine(string command)
        => ShellWords.TrySplit(command, out var words) ? words : [];

    private bool Has(string name) => !string.IsNullOrEmpty(_variable(name));

    private bool TryStart(string program, IReadOnlyList<string> args)
    {
        var info = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        if (_childEnvironment is not null)
        {
            info.Environment.Clear();
            foreach (var (k, v) in _childEnvironment)
            {
                info.Environment[k] = v;
            }
        }

        try
        {
            var process = Process.Start(info);
            if (process is null)
            {
                return false;
            }

            // Drain and release in the background; the browser's chatter must not reach stdout (the credential channel).
            process.StandardInput.Close();
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
        catch (Win32Exception)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
