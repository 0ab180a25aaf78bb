using System.Diagnostics;
using System.Text.RegularExpressions;
using Basalt.Cli.Tests.Gateway;
using Basalt.Testing;
using Basalt.Usage;

namespace Basalt.Cli.Tests.Deployment;

/// <summary>
/// <c>deploy/systemd/basalt-gateway.service</c> (issue 11 item 2): <c>systemd-analyze verify</c> is clean, the hardening
/// options are on, the stop timeout matches the drain deadline, and the gateway runs from the unit's own ExecStart,
/// LoadCredential names, WorkingDirectory and Environment and stops on its KillSignal with nothing lost. systemd is
/// not PID 1 on this machine (no <c>systemd-run</c>), so the unit's command runs under <c>setpriv</c> with the unit's
/// NoNewPrivileges and empty CapabilityBoundingSet — the closest equivalent here.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed partial class SystemdUnitTests
{
    private static string UnitPath => Path.Combine(RepoPaths.Root, "deploy", "systemd", "basalt-gateway.service");

    private static string ConfigPath => Path.Combine(RepoPaths.Root, "deploy", "systemd", "gateway.yaml");

    /// <summary>A root with the distribution's units, /bin/kill and the unit's binary, for <c>verify --root</c>.</summary>
    private static async Task<string> VerifyRootAsync(TempDirectory dir, string unitName, string unitText)
    {
        var root = dir.Combine("root");
        var units = Directory.Exists("/usr/lib/systemd/system") ? "/usr/lib/systemd/system" : "/lib/systemd/system";
        Directory.CreateDirectory(Path.Combine(root, "usr", "lib", "systemd"));
        // cp -a keeps the .wants/ symlinks, which verify requires to be symlinks.
        var copied = await ProcessRunner.RunAsync("cp", ["-a", units, Path.Combine(root, "usr", "lib", "systemd")]);
        Assert.True(copied.ExitCode == 0, copied.ToString());

        Directory.CreateDirectory(Path.Combine(root, "bin"));
        File.Copy("/bin/kill", Path.Combine(root, "bin", "kill"));
        Directory.CreateDirectory(Path.Combine(root, "opt", "basalt"));
        // The built executable (the CLI's apphost) stands in for the published one: verify checks it is executable.
        var apphost = Path.Combine(AppContext.BaseDirectory, "Basalt.Cli");
        File.Copy(File.Exists(apphost) ? apphost : "/bin/true", Path.Combine(root, "opt", "basalt", "basalt"));
        File.SetUnixFileMode(Path.Combine(root, "opt", "basalt", "basalt"), (UnixFileMode)0b111_101_101);
        Directory.CreateDirectory(Path.Combine(root, "etc", "systemd", "system"));
        File.WriteAllText(Path.Combine(root, "etc", "systemd", "system", unitName), unitText);
        return root;
    }

    [Fact]
    public async Task The_unit_passes_systemd_analyze_verify_and_a_broken_copy_does_not()
    {
        var tool = ExternalTools.Require("systemd-analyze", "apt-get install -y systemd");
        using var dir = new TempDirectory("systemd-verify");
        var text = await File.ReadAllTextAsync(UnitPath);
        var root = await VerifyRootAsync(dir, "basalt-gateway.service", text);
        File.WriteAllText(Path.Combine(root, "etc", "systemd", "system", "basalt-broken.service"), text.Replace("ProtectSystem=strict", "ProtectSystem=strictest", StringComparison.Ordinal));

        var clean = await ProcessRunner.RunAsync(tool, ["verify", $"--root={root}", "--man=no", "basalt-gateway.service"]);
        var broken = await ProcessRunner.RunAsync(tool, ["verify", $"--root={root}", "--man=no", "basalt-broken.service"]);

        Assert.True(clean.ExitCode == 0 && clean.Stdout.Length == 0 && clean.Stderr.Length == 0, clean.ToString());
        Assert.Contains("Failed to parse protect system value", broken.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void The_unit_runs_hardened_with_state_and_configuration_directories_and_stops_after_the_drain_deadline()
    {
        var unit = SystemdUnit.Load(UnitPath);
        Assert.Equal("yes", unit.Get("Service.DynamicUser"));
        Assert.Equal("strict", unit.Get("Service.ProtectSystem"));
        Assert.Equal("yes", unit.Get("Service.ProtectHome"));
        Assert.Equal("yes", unit.Get("Service.PrivateTmp"));
        Assert.Equal("yes", unit.Get("Service.NoNewPrivileges"));
        Assert.Equal(string.Empty, unit.Get("Service.CapabilityBoundingSet"));
        Assert.Equal("AF_UNIX AF_INET AF_INET6 AF_NETLINK", unit.Get("Service.RestrictAddressFamilies"));
        Assert.Equal("@system-service", unit.All("Service.SystemCallFilter")[0]);
        Assert.Equal("basalt", unit.Get("Service.StateDirectory"));
        Assert.Equal("basalt", unit.Get("Service.ConfigurationDirectory"));
        Assert.Equal("SIGTERM", unit.Get("Service.KillSignal"));
        Assert.Equal("/bin/kill -HUP $MAINPID", unit.Get("Service.ExecReload"));
        Assert.StartsWith("/opt/basalt/basalt gateway serve --config /etc/basalt/gateway.yaml", unit.Get("Service.ExecStart"), StringComparison.Ordinal);
        // Secrets reach the service as credential files, never as Environment= values.
        Assert.DoesNotContain(unit.All("Service.Environment"), e => e.Contains("KEY", StringComparison.OrdinalIgnoreCase) || e.Contains("SECRET", StringComparison.OrdinalIgnoreCase));
        Assert.NotEmpty(unit.All("Service.LoadCredential"));

        // systemd waits TimeoutStopSec before SIGKILL: longer than the configuration's drain, with room to flush usage.
        var drain = int.Parse(DrainSeconds().Match(File.ReadAllText(ConfigPath)).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var stop = int.Parse(unit.Get("Service.TimeoutStopSec")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(stop - drain, 5, 15);
        // The configuration keeps its writable state where the unit allows writes.
        Assert.Contains("dataDir: /var/lib/basalt", File.ReadAllText(ConfigPath), StringComparison.Ordinal);
        Assert.Equal("/var/lib/basalt", unit.Get("Service.WorkingDirectory"));
    }

    [Fact]
    public async Task The_gateway_runs_from_the_units_exec_start_reloads_on_exec_reload_and_its_kill_signal_loses_no_usage()
    {
        var unit = SystemdUnit.Load(UnitPath);
        await using var emulator = await ServedGateway.StartEmulatorAsync(tokensPerSecond: 20);
        using var dir = new TempDirectory("systemd-run");
        var (etc, state, credentials) = (dir.Combine("etc-basalt"), dir.Combine("var-lib-basalt"), dir.Combine("credentials"));
        Directory.CreateDirectory(state);
        var alice = "bsk_alice_systemd_0123456789abcd";
        // LoadCredential=ID:PATH → $CREDENTIALS_DIRECTORY/ID, which the shipped configuration reads by file reference.
        var secrets = new Dictionary<string, string> { ["alice-key"] = alice, ["upstream-secret-key"] = ServedGateway.Secret };
        foreach (var credential in unit.All("Service.LoadCredential"))
        {
            var id = credential.Split(':')[0];
            Assert.True(secrets.ContainsKey(id), $"the test knows no value for credential {id}");
            var file = Path.Combine(credentials, id);
            Directory.CreateDirectory(credentials);
            File.WriteAllText(file, secrets[id]);
            File.SetUnixFileMode(file, UnixFileMode.UserRead);
        }

        // The shipped configuration, pointed at this machine: loopback listener, the emulator, temp directories.
        var text = File.ReadAllText(ConfigPath)
            .Replace("http://0.0.0.0:8080", "http://127.0.0.1:0", StringComparison.Ordinal)
            .Replace("/run/credentials/basalt-gateway.service/", credentials + "/", StringComparison.Ordinal)
            .Replace("/var/lib/basalt", state, StringComparison.Ordinal)
            .Replace("AKIAIOSFODNN7EXAMPLE", ServedGateway.KeyId, StringComparison.Ordinal)
            .Replace("      region: us-east-1\n", $"      region: us-east-1\n      endpoint: {emulator.BaseAddress.ToString().TrimEnd('/')}\n", StringComparison.Ordinal);
        Directory.CreateDirectory(etc);
        var config = Path.Combine(etc, "gateway.yaml");
        File.WriteAllText(config, text);

        var exec = unit.Get("Service.ExecStart")!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var command = new List<string>();
        if (unit.Get("Service.NoNewPrivileges") == "yes" && unit.Get("Service.CapabilityBoundingSet") == string.Empty)
        {
            command.AddRange([ExternalTools.Require("setpriv", "apt-get install -y util-linux"), "--no-new-privs", "--bounding-set=-all", "--inh-caps=-all"]);
        }

        command.AddRange(Binary());
        command.AddRange(exec.Skip(1).Select(a => a == "/etc/basalt/gateway.yaml" ? config : a));
        var environment = new Dictionary<string, string?> { ["CREDENTIALS_DIRECTORY"] = credentials };
        foreach (var pair in unit.All("Service.Environment").SelectMany(e => e.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
        {
            environment[pair[..pair.IndexOf('=', StringComparison.Ordinal)]] = pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..];
        }

        await using var gateway = await ServedGateway.StartAsync(config, environment, command, workingDirectory: unit.Get("Service.WorkingDirectory") == "/var/lib/basalt" ? state : null);
        using var client = gateway.Client(alice);

        // ExecReload, as systemctl reload runs it.
        var reload = unit.Get("Service.ExecReload")!.Replace("$MAINPID", gateway.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal).Split(' ');
        var reloaded = await ProcessRunner.RunAsync(reload[0], reload.Skip(1));
        Assert.True(reloaded.ExitCode == 0, reloaded.ToString());
        Assert.Contains("configuration reloaded", gateway.WaitFor("reloaded"), StringComparison.Ordinal);

        var accepted = new List<string>();
        using (var done = await client.PostAsync("/v1/messages", ServedGateway.Message("before the stop", stream: false, model: "sonnet")))
        {
            Assert.Equal(200, (int)done.StatusCode);
            accepted.Add(done.Headers.GetValues("request-id").Single());
        }

        var streams = new List<(string RequestId, HttpResponseMessage Response, Stream Body)>();
        for (var i = 0; i < 3; i++)
        {
            streams.Add(await GatewayDrainTests.OpenStreamAsync(client, $"stream {i} " + GatewayDrainTests.Words(60), "sonnet"));
        }

        var stopped = Stopwatch.StartNew();
        gateway.Signal(Signal(unit.Get("Service.KillSignal")!));
        foreach (var (requestId, response, body) in streams)
        {
            using (response)
            {
                var rest = await new StreamReader(body).ReadToEndAsync();
                Assert.Contains("event: message_stop", rest, StringComparison.Ordinal);
                accepted.Add(requestId);
            }
        }

        var timeoutStop = TimeSpan.FromSeconds(int.Parse(unit.Get("Service.TimeoutStopSec")!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0, await gateway.WaitForExitAsync(timeoutStop));
        Assert.True(stopped.Elapsed < timeoutStop);
        var stored = await GatewayDrainTests.StoredAsync(state, Path.Combine(state, "usage.db"));
        Assert.Equal(accepted.Order(StringComparer.Ordinal), stored.Select(r => r.RequestId).Order(StringComparer.Ordinal));
        Assert.All(stored, r => Assert.Equal(UsageOutcome.Ok, r.Outcome));
        // Nothing written beside the configuration (ProtectSystem=strict makes it read-only for the service).
        Assert.Equal(["gateway.yaml"], Directory.EnumerateFileSystemEntries(etc).Select(Path.GetFileName));
        Assert.DoesNotContain(alice, string.Join('\n', gateway.Seen) + gateway.Stderr, StringComparison.Ordinal);
    }

    /// <summary>The published single-file binary when <c>BASALT_PUBLISHED_BINARY</c> names it (scripts/publish.sh), else the built CLI.</summary>
    private static IReadOnlyList<string> Binary() =>
        Environment.GetEnvironmentVariable("BASALT_PUBLISHED_BINARY") is { Length: > 0 } published && File.Exists(published)
            ? [published]
            : ["dotnet", CliRunner.BasaltDll];

    private static int Signal(string name) => name switch
    {
        "SIGTERM" => 15,
        "SIGINT" => 2,
        _ => throw new InvalidOperationException($"KillSignal={name} is not one the gateway drains on"),
    };

    [GeneratedRegex(@"drainTimeoutSeconds:\s*(\d+)")]
    private static partial Regex DrainSeconds();
}
