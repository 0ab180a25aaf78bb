using System.Diagnostics;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Basalt.Bench.Gateway;

/// <summary>
/// A proxy under test (nginx, Portkey, Basalt's gateway) as its own process, so its memory is its own. Output goes
/// to a log file through <c>sh -c 'exec …'</c> (same PID, and the benchmark spends no CPU reading per-request log
/// lines). Disposing kills the process and its children (nginx workers), so nothing is left running.
/// </summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(string name, Process process, string logFile)
    {
        Name = name;
        _process = process;
        LogFile = logFile;
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public string LogFile { get; }

    public Uri? BaseAddress { get; private set; }

    public static ServerProcess Start(string name, string fileName, IEnumerable<string> arguments, string logFile, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("exec \"$@\" >\"$BENCH_LOG_FILE\" 2>&1");
        info.ArgumentList.Add("sh");
        info.ArgumentList.Add(fileName);
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["BENCH_LOG_FILE"] = logFile;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        return new ServerProcess(name, process, logFile);
    }

    /// <summary>Waits until <paramref name="port"/> accepts connections.</summary>
    public async Task WaitForPortAsync(int port, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            ThrowIfExited();
            try
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(System.Net.IPAddress.Loopback, port);
                BaseAddress = new Uri($"http://127.0.0.1:{port}/");
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new TimeoutException($"{Name} did not listen on port {port} within {timeout.TotalSeconds:0} s; see {LogFile}");
    }

    /// <summary>Waits for Basalt's stable first line "Basalt gateway listening on URL" and takes the URL from it.</summary>
    public async Task WaitForListeningLineAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            ThrowIfExited();
            var text = File.Exists(LogFile) ? await ReadSharedAsync(LogFile) : "";
            if (ListeningLine().Match(text) is { Success: true } m)
            {
                BaseAddress = new Uri(m.Groups[1].Value);
                return;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{Name} did not print its listening line within {timeout.TotalSeconds:0} s; see {LogFile}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private void ThrowIfExited()
    {
        if (_process.HasExited)
        {
            var tail = File.Exists(LogFile) ? File.ReadAllText(LogFile) : "";
            throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode} before it was ready; log {LogFile}:\n{tail[Math.Max(0, tail.Length - 2000)..]}");
        }
    }

    private static async Task<string> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    [GeneratedRegex(@"Basalt gateway listening on (http://[^\s,]+)")]
    private static partial Regex ListeningLine();
}
