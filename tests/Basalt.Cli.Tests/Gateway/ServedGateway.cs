using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Basalt.Emulator;
using Basalt.Testing;

namespace Basalt.Cli.Tests.Gateway;

/// <summary>
/// A real <c>basalt gateway serve</c> process (or the command line of a service definition that runs it) in front
/// of an in-process emulator: its stdout lines as they come, its listening URL, POSIX signals, and its exit. Used by
/// the drain, reload, doctor and systemd-unit tests. The emulator streams slowly when asked (pacing), so requests
/// can be in flight when a signal arrives.
/// </summary>
internal sealed partial class ServedGateway : IAsyncDisposable
{
    public const int Sighup = 1;
    public const int Sigterm = 15;
    public const string KeyId = "AKIASERVEDGW7EXAMPLE";
    public const string Secret = "servedGatewaySecretKey0123456789abcdefAB";
    public const string Haiku = "us.anthropic.claude-haiku-4-5-20251001-v1:0";

    private readonly Process _process;
    private readonly BlockingCollection<string> _lines = [];
    private readonly StringBuilder _stderr = new();
    private readonly List<string> _seen = [];

    private ServedGateway(Process process, EmulatorServer emulator)
    {
        _process = process;
        Emulator = emulator;
    }

    public EmulatorServer Emulator { get; }

    public Uri BaseAddress { get; private set; } = null!;

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

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

    /// <summary>Every stdout line read so far by <see cref="WaitFor"/>.</summary>
    public IReadOnlyList<string> Seen => _seen;

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code in the test project for one call.
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
#pragma warning restore SYSLIB1054

    public static async Task<EmulatorServer> StartEmulatorAsync(int? tokensPerSecond = null, string? faults = null)
    {
        var y = new StringBuilder();
        y.AppendLine("region: us-east-1");
        y.AppendLine("accounts:");
        y.AppendLine("  - { id: \"111122223333\", name: Served gateway }");
        y.AppendLine("users:");
        y.AppendLine("  - name: gateway");
        y.AppendLine("    account: \"111122223333\"");
        y.AppendLine($"    accessKeys: [ {{ accessKeyId: {KeyId}, secretAccessKey: {Secret} }} ]");
        y.AppendLine("bedrock:");
        y.AppendLine("  replies:");
        y.AppendLine("    default: echo");
        if (tokensPerSecond is { } tps)
        {
            y.AppendLine("  pacing:");
            y.AppendLine($"    tokensPerSecond: {tps}");
        }

        if (faults is not null)
        {
            y.AppendLine(faults);
        }

        var options = EmulatorOptions.Parse(y.ToString(), "emulator.yaml");
        Assert.False(options.HasErrors, string.Join('\n', options.Diagnostics));
        return await EmulatorServer.StartAsync(options);
    }

    /// <summary>A gateway section for <paramref name="emulator"/>: model haiku (alias <c>haiku</c>), group engineering, alice's key from ALICE_KEY.</summary>
    public static string Config(EmulatorServer emulator, string extraKeys = "", int drainSeconds = 20, string limits = "", string usage = "", string extraModels = "") => $$"""
        gateway:
          listen: [ "http://127.0.0.1:0" ]
          upstreams:
            east:
              region: us-east-1
              endpoint: {{emulator.BaseAddress.ToString().TrimEnd('/')}}
              credentials: { source: static, accessKeyId: "${env:GW_AKID}", secretAccessKey: "${env:GW_SECRET}" }
          models:
            claude-haiku-4-5:
              aliases: [haiku]
              routes:
                - { upstream: east, model: "{{Haiku}}" }
        {{extraModels}}
          groups:
            engineering: { models: ["*"] }
          apiKeys:
            - { id: alice-laptop, user: alice, groups: [engineering], key: "${env:ALICE_KEY}" }
        {{extraKeys}}
          limits:
            drainTimeoutSeconds: {{drainSeconds}}
        {{limits}}
        {{usage}}
        """;

    public static Dictionary<string, string?> Environment(string aliceKey) => new()
    {
        ["GW_AKID"] = KeyId,
        ["GW_SECRET"] = Secret,
        ["ALICE_KEY"] = aliceKey,
        ["NO_COLOR"] = "1",
        ["DOTNET_NOLOGO"] = "1",
    };

    /// <summary>Starts <paramref name="command"/> (default: <c>dotnet Basalt.Cli.dll gateway serve --config CONFIG</c>) and waits for its listening line.</summary>
    public static async Task<ServedGateway> StartAsync(EmulatorServer emulator, string config, IReadOnlyDictionary<string, string?> environment, IReadOnlyList<string>? command = null, string? workingDirectory = null)
    {
        command ??= ["dotnet", CliRunner.BasaltDll, "gateway", "serve", "--config", config];
        var info = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(config)! };
        foreach (var a in command.Skip(1))
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (k, v) in environment)
        {
            info.Environment[k] = v;
        }

        var process = Process.Start(info)!;
        var served = new ServedGateway(process, emulator);
        _ = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                served._lines.Add(line);
            }

            served._lines.CompleteAdding();
        });
        _ = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
            {
                lock (served._stderr)
                {
                    served._stderr.AppendLine(line);
                }
            }
        });
        try
        {
            var listening = served.WaitFor("Basalt gateway listening on", TimeSpan.FromSeconds(90));
            served.BaseAddress = new Uri(ListeningUrl().Match(listening).Groups[1].Value);
        }
        catch
        {
            await served.DisposeAsync();
            throw;
        }

        await Task.Yield();
        return served;
    }

    /// <summary>The next stdout line containing <paramref name="marker"/> (lines before it are kept in <see cref="Seen"/>).</summary>
    public string WaitFor(string marker, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            foreach (var line in _lines.GetConsumingEnumerable(deadline.Token))
            {
                _seen.Add(line);
                if (line.Contains(marker, StringComparison.Ordinal))
                {
                    return line;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no line with '{marker}' in time; stdout so far:\n{string.Join('\n', _seen)}\nstderr:\n{Stderr}");
        }

        throw new InvalidOperationException($"the gateway exited before printing '{marker}'; stdout:\n{string.Join('\n', _seen)}\nstderr:\n{Stderr}");
    }

    public void Signal(int signal) => Assert.Equal(0, Kill(_process.Id, signal));

    /// <summary>Waits for the process to exit; the exit code, or throws when it outlives <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(deadline.Token);
        return _process.ExitCode;
    }

    public HttpClient Client(string key)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.TryAddWithoutValidation("x-api-key", key);
        client.DefaultRequestHeaders.TryAddWithoutValidation("anthropic-version", "2023-06-01");
        return client;
    }

    public static StringContent Message(string prompt, bool stream, string model = "haiku") => new(
        System.Text.Json.JsonSerializer.Serialize(new { model, max_tokens = 256, stream, messages = new[] { new { role = "user", content = prompt } } }), Encoding.UTF8, "application/json");

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _lines.Dispose();
    }

    [GeneratedRegex(@"listening on (\S+?/)(,|$)")]
    private static partial Regex ListeningUrl();
}
