using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Basalt.Testing;

/// <summary>
/// A long-running <c>basalt</c> process (gateway, emulator, quickstart) as an operator runs it: started with its own
/// environment, its standard output read line by line so a test can wait for "listening on", sent real Unix signals
/// (SIGHUP to reload, SIGTERM to drain, SIGINT for Ctrl-C), and killed with its tree if the test ends first.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    public const int Sighup = 1;
    public const int Sigint = 2;
    public const int Sigterm = 15;

    private readonly Process _process;
    private readonly BlockingCollection<string> _lines = new();
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Task _readers;

    private ServerProcess(Process process)
    {
        _process = process;
        _readers = Task.WhenAll(
            Task.Run(async () =>
            {
                while (await process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
                {
                    lock (_stdout)
                    {
                        _stdout.AppendLine(line);
                    }

                    _lines.Add(line);
                }

                _lines.CompleteAdding();
            }),
            Task.Run(async () =>
            {
                while (await process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
                {
                    lock (_stderr)
                    {
                        _stderr.AppendLine(line);
                    }
                }
            }));
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts <c>dotnet Basalt.Cli.dll ARGS</c> (the CLI built next to the tests).</summary>
    public static ServerProcess StartBasalt(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null) =>
        Start("dotnet", [CliRunner.BasaltDll, .. args], environment, workingDirectory);

    /// <summary>
    /// Starts <paramref name="fileName"/> with SIGHUP, SIGINT and SIGTERM at their defaults (through coreutils'
    /// <c>env --default-signal</c>, which execs, so <see cref="Id"/> is the program's pid), as from an operator's
    /// terminal: the suite itself may run as a background job or under nohup, whose ignored SIGINT/SIGHUP every
    /// child would otherwise inherit (execve keeps <c>SIG_IGN</c>), and the Ctrl+C test then waited 60 s for an exit.
    /// </summary>
    public static ServerProcess Start(string fileName, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(ExternalTools.Require("env", "apt-get install -y coreutils"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        info.ArgumentList.Add("--default-signal=HUP,INT,TERM");
        info.ArgumentList.Add(fileName);
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        return new ServerProcess(Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}"));
    }

    /// <summary>The next output line containing <paramref name="marker"/>; fails with the process's stderr if it exits first.</summary>
    public string WaitForLine(string marker, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(90));
        try
        {
            foreach (var line in _lines.GetConsumingEnumerable(deadline.Token))
            {
                if (line.Contains(marker, StringComparison.Ordinal))
                {
                    return line;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no line with '{marker}' within {timeout ?? TimeSpan.FromSeconds(90)}. stdout:\n{Stdout}\nstderr:\n{Stderr}");
        }

        throw new InvalidOperationException($"the process exited before printing '{marker}'. stdout:\n{Stdout}\nstderr:\n{Stderr}");
    }

    /// <summary>The first http(s) URL on the line that says where the server listens.</summary>
    public Uri WaitForListening(string marker = "listening on", TimeSpan? timeout = null)
    {
        var line = WaitForLine(marker, timeout);
        var match = UrlPattern().Match(line);
        return match.Success ? new Uri(match.Value.TrimEnd('/', ',')) : throw new InvalidOperationException($"no URL in '{line}'");
    }

    public void Signal(int signal)
    {
        if (Kill(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>Sends <paramref name="signal"/> and waits for the exit; returns the exit code.</summary>
    public Task<int> StopAsync(int signal = Sigterm, TimeSpan? timeout = null)
    {
        if (!_process.HasExited)
        {
            Signal(signal);
        }

        return WaitForExitAsync(timeout);
    }

    /// <summary>Waits for the process to exit by itself (no signal sent); the exit code, or throws when it outlives the timeout.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        await _readers.ConfigureAwait(false);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
        _lines.Dispose();
    }

#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code in this project for one call.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
#pragma warning restore SYSLIB1054

    [System.Text.RegularExpressions.GeneratedRegex(@"https?://[^\s,]+")]
    private static partial System.Text.RegularExpressions.Regex UrlPattern();
}
