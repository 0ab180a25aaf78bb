using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Basalt.Deployment.Secrets;
using Basalt.Emulator;
using Basalt.Gateway.Configuration;
using Basalt.Gateway.Host;
using Basalt.Testing;
using Microsoft.Extensions.Logging;

namespace Basalt.Gateway.Tests.TestSupport;

/// <summary>
/// The real pieces on loopback: one or more emulators (Bedrock + STS, each an "upstream region") and Basalt's
/// gateway in front of them, configured from YAML text exactly as <c>basalt gateway serve</c> reads it. The
/// gateway signs with an emulator user's static keys; alice and bob call the gateway with configured API keys.
/// </summary>
public sealed class GatewayTestHost : IAsyncDisposable
{
    public const string Account = GatewayEmulatorYaml.Account;
    public const string SonnetProfile = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
    public const string HaikuProfile = "us.anthropic.claude-haiku-4-5-20251001-v1:0";
    public const string RoleArn = "arn:aws:iam::111122223333:role/BedrockUser";

    private GatewayTestHost(IReadOnlyList<EmulatorServer> emulators, GatewayServer gateway, RecordingUsageSink usage, string aliceKey, string bobKey)
    {
        Emulators = emulators;
        Gateway = gateway;
        Usage = usage;
        AliceKey = aliceKey;
        BobKey = bobKey;
    }

    public IReadOnlyList<EmulatorServer> Emulators { get; }

    public EmulatorServer Emulator => Emulators[0];

    public GatewayServer Gateway { get; }

    public RecordingUsageSink Usage { get; }

    /// <summary>alice: groups engineering (every model), cost centre cc-42.</summary>
    public string AliceKey { get; }

    /// <summary>bob: group limited (haiku only).</summary>
    public string BobKey { get; }

    public string BaseUrl => Gateway.BaseAddress.ToString().TrimEnd('/');

    public static async Task<GatewayTestHost> StartAsync(GatewayTestOptions? options = null)
    {
        options ??= new GatewayTestOptions();
        var keyId = "AKIA" + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 9) + "EXAMPLE";
        var secret = RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 40);
        var emulators = new List<EmulatorServer>();
        try
        {
            for (var i = 0; i < options.Upstreams; i++)
            {
                var yaml = GatewayEmulatorYaml.Build(keyId, secret, i < options.Faults.Count ? options.Faults[i] : null, options.ExtraBedrockYaml);
                var emulatorOptions = EmulatorOptions.Parse(yaml, "emulator.yaml");
                Assert.False(emulatorOptions.HasErrors, string.Join('\n', emulatorOptions.Diagnostics));
                emulators.Add(await EmulatorServer.StartAsync(emulatorOptions));
            }

            var aliceKey = "bsk_alice_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            var bobKey = "bsk_bob_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            var environment = new Dictionary<string, string>
            {
                ["GW_AKID"] = keyId,
                ["GW_SECRET"] = secret,
                ["ALICE_KEY"] = aliceKey,
                ["BOB_KEY"] = bobKey,
            };
            foreach (var (name, value) in options.Environment)
            {
                environment[name] = value;
            }

            var text = options.GatewayYaml?.Invoke(emulators) ?? GatewayYaml(emulators, options);
            var result = GatewayConfigReader.Parse(text, "gateway.yaml", new SecretReferenceResolver(Path.GetTempPath(), n => environment.GetValueOrDefault(n)));
            Assert.True(result.Options is not null, string.Join('\n', result.Diagnostics));
            var usage = new RecordingUsageSink();
            var gateway = await GatewayServer.StartAsync(new GatewayServerOptions { Gateway = result.Options!, UsageSink = options.UsageSink ?? (options.UsageYaml is null ? usage : null), Admission = options.Admission, ConfigureLogging = options.AccessLog is { } log ? l => l.AddProvider(log) : null, TimeProvider = options.TimeProvider });
            return new GatewayTestHost(emulators, gateway, usage, aliceKey, bobKey);
        }
        catch
        {
            foreach (var e in emulators)
            {
                await e.DisposeAsync();
            }

            throw;
        }
    }

    public static string GatewayYaml(IReadOnlyList<EmulatorServer> emulators, GatewayTestOptions options)
    {
        var y = new StringBuilder();
        y.AppendLine("gateway:");
        y.AppendLine("  listen: [ \"http://127.0.0.1:0\" ]");
        y.AppendLine("  upstreams:");
        for (var i = 0; i < emulators.Count; i++)
        {
            var endpoint = emulators[i].BaseAddress.ToString().TrimEnd('/');
            y.AppendLine($"    region{i}:");
            y.AppendLine("      region: us-east-1");
            y.AppendLine($"      endpoint: {endpoint}");
            y.AppendLine("      credentials: { source: static, accessKeyId: \"${env:GW_AKID}\", secretAccessKey: \"${env:GW_SECRET}\" }");
            if (options.AssumeRole)
            {
                y.AppendLine($"      assumeRole: {{ roleArn: \"{RoleArn}\", stsEndpoint: {endpoint} }}");
            }
        }

        y.AppendLine("  models:");
        foreach (var (id, alias, profile) in new[] { ("claude-sonnet-4-5", "sonnet", SonnetProfile), ("claude-haiku-4-5", "haiku", HaikuProfile) })
        {
            y.AppendLine($"    {id}:");
            y.AppendLine($"      aliases: [{alias}]");
            y.AppendLine("      routes:");
            for (var i = 0; i < emulators.Count; i++)
            {
                y.AppendLine($"        - {{ upstream: region{i}, model: \"{profile}\" }}");
            }
        }

        if (options.ExtraModelsYaml is not null)
        {
            y.AppendLine(options.ExtraModelsYaml);
        }

        y.AppendLine("  groups:");
        if (options.EngineeringPolicyYaml is { } policy)
        {
            y.AppendLine("    engineering:");
            y.AppendLine("      models: [\"*\"]");
            y.AppendLine("      policy:");
            y.AppendLine(policy);
        }
        else
        {
            y.AppendLine("    engineering: { models: [\"*\"] }");
        }

        y.AppendLine("    limited: { models: [claude-haiku-4-5] }");
        y.AppendLine("  apiKeys:");
        y.AppendLine("    - { id: alice-laptop, user: alice, displayName: Alice, groups: [engineering], costCentre: cc-42, key: \"${env:ALICE_KEY}\" }");
        y.AppendLine("    - { id: bob-laptop, user: bob, groups: [limited], key: \"${env:BOB_KEY}\" }");
        y.AppendLine("  limits:");
        y.AppendLine($"    firstByteTimeoutSeconds: {options.FirstByteTimeoutSeconds}");
        y.AppendLine("    drainTimeoutSeconds: 2");
        if (options.MaxConcurrentStreams is { } max)
        {
            y.AppendLine($"    maxConcurrentStreams: {max}");
        }

        if (options.MaxBodyBytes is { } bodyBytes)
        {
            y.AppendLine($"    maxBodyBytes: {bodyBytes}");
        }

        if (options.ExtraGatewayYaml is not null)
        {
            y.AppendLine(options.ExtraGatewayYaml);
        }

        y.AppendLine("  failover:");
        y.AppendLine($"    breakerThreshold: {options.BreakerThreshold}");
        y.AppendLine("    breakerOpenSeconds: 60");
        y.AppendLine("    backoffBaseMs: 20");
        y.AppendLine("    backoffMaxMs: 100");
        y.AppendLine("    maxRetryAfterSeconds: 2");
        if (options.UsageYaml is not null)
        {
            y.AppendLine("  usage:");
            y.AppendLine(options.UsageYaml);
        }
        else
        {
            y.AppendLine("  usage: { enabled: false }");
        }

        return y.ToString();
    }

    /// <summary>Runs <c>tests/interop/gateway/{script}</c> with a JSON request and parses its one-line JSON answer.</summary>
    public static async Task<JsonObject> NodeAsync(string script, object request, TimeSpan? timeout = null)
    {
        var result = await ExternalTools.RunNodeAsync(Path.Combine("gateway", script), [], stdin: JsonSerializer.Serialize(request), timeout: timeout ?? TimeSpan.FromMinutes(1));
        Assert.True(result.ExitCode == 0, $"{script} failed: exit {result.ExitCode}\n{result.Stderr}");
        var line = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        Assert.False(line is null, $"{script} printed nothing; stderr: {result.Stderr}");
        return JsonNode.Parse(line)!.AsObject();
    }

    public HttpClient Client(string? key = null)
    {
        var client = new HttpClient { BaseAddress = Gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("x-api-key", key);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        foreach (var e in Emulators)
        {
            try
            {
                await e.DisposeAsync();
            }
            catch (ObjectDisposedException)
            {
                // A test stopped this "region" on purpose.
            }
        }
    }

    /// <summary>Posts an Anthropic streaming request and reads the whole SSE answer: event names and the concatenated text.</summary>
    public async Task<SseResult> StreamAsync(string prompt, string model = "sonnet", CancellationToken cancellationToken = default)
    {
        using var client = Client(AliceKey);
        var body = System.Text.Json.JsonSerializer.Serialize(new { model, max_tokens = 512, stream = true, messages = new[] { new { role = "user", content = prompt } } });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return SseResult.Parse((int)response.StatusCode, response.Headers.TryGetValues("x-basalt-upstream", out var u) ? u.Single() : null, text);
    }
}
