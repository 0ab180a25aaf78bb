using System.Text;
using Basalt.Emulator;
using Basalt.Testing;

namespace Basalt.Cli.Tests.Gateway;

/// <summary>
/// A real <c>basalt gateway serve</c> process (or the command line of a service definition that runs it; a
/// <see cref="ServerProcess"/>) in front of an in-process emulator (<see cref="GatewayEmulatorYaml"/>): the gateway
/// configuration these tests share, the listening URL, signals and the exit. Used by the drain, reload, doctor and
/// systemd-unit tests. The emulator streams slowly when asked (pacing), so requests can be in flight when a signal
/// arrives.
/// </summary>
internal sealed class ServedGateway : IAsyncDisposable
{
    public const int Sighup = ServerProcess.Sighup;
    public const int Sigterm = ServerProcess.Sigterm;
    public const string KeyId = "AKIASERVEDGW7EXAMPLE";
    public const string Secret = "servedGatewaySecretKey0123456789abcdefAB";
    public const string Haiku = "us.anthropic.claude-haiku-4-5-20251001-v1:0";

    private readonly ServerProcess _server;

    private ServedGateway(ServerProcess server, Uri baseAddress)
    {
        _server = server;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int ProcessId => _server.Id;

    public bool HasExited => _server.HasExited;

    public string Stderr => _server.Stderr;

    /// <summary>Every stdout line so far.</summary>
    public IReadOnlyList<string> Seen => _server.Stdout.Split('\n');

    public static async Task<EmulatorServer> StartEmulatorAsync(int? tokensPerSecond = null, string? faults = null)
    {
        var yaml = GatewayEmulatorYaml.Build(KeyId, Secret, faults, tokensPerSecond is { } tps ? $"  pacing:\n    tokensPerSecond: {tps}" : null);
        var options = EmulatorOptions.Parse(yaml, "emulator.yaml");
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
    public static async Task<ServedGateway> StartAsync(string config, IReadOnlyDictionary<string, string?> environment, IReadOnlyList<string>? command = null, string? workingDirectory = null)
    {
        command ??= ["dotnet", CliRunner.BasaltDll, "gateway", "serve", "--config", config];
        var env = environment.Where(e => e.Value is not null).ToDictionary(e => e.Key, e => e.Value!);
        var server = ServerProcess.Start(command[0], command.Skip(1), env, workingDirectory ?? Path.GetDirectoryName(config)!);
        try
        {
            var listening = server.WaitForListening("Basalt gateway listening on");
            await Task.Yield();
            return new ServedGateway(server, new Uri(listening.GetLeftPart(UriPartial.Authority) + "/"));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The next stdout line containing <paramref name="marker"/>.</summary>
    public string WaitFor(string marker, TimeSpan? timeout = null) => _server.WaitForLine(marker, timeout ?? TimeSpan.FromSeconds(60));

    public void Signal(int signal) => _server.Signal(signal);

    /// <summary>Waits for the process to exit (no signal sent); the exit code, or throws when it outlives <paramref name="timeout"/>.</summary>
    public Task<int> WaitForExitAsync(TimeSpan timeout) => _server.WaitForExitAsync(timeout);

    public HttpClient Client(string key)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.TryAddWithoutValidation("x-api-key", key);
        client.DefaultRequestHeaders.TryAddWithoutValidation("anthropic-version", "2023-06-01");
        return client;
    }

    public static StringContent Message(string prompt, bool stream, string model = "haiku") => new(
        System.Text.Json.JsonSerializer.Serialize(new { model, max_tokens = 256, stream, messages = new[] { new { role = "user", content = prompt } } }), Encoding.UTF8, "application/json");

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
