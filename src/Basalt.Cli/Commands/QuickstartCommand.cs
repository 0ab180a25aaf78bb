using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using Basalt.Bedrock;
using Basalt.Bedrock.Metering;
using Basalt.Credentials;
using Basalt.Credentials.StaticKeys;
using Basalt.Deployment.Generation;
using Basalt.Emulator;
using Basalt.Gateway.Host;

namespace Basalt.Cli.Commands;

/// <summary>
/// <c>basalt quickstart</c>: Basalt's main job end to end on embedded defaults, with no AWS account and no external
/// service. It generates the whole deployment for the example rollout, prints the configuration report a device
/// would produce, then starts the local AWS and streams one model answer the way Claude Desktop would get it: the
/// credential helper's short-term Bedrock API key, model discovery, and a streamed invoke. Last it starts Basalt's
/// gateway in front of the emulator and streams one answer through it; <c>--serve</c> keeps both running until
/// Ctrl+C and prints, ready to paste, the environment that points Claude Code at the gateway in each of its modes.
/// </summary>
internal static class QuickstartCommand
{
    public static Command Create()
    {
        var deployment = new Option<string?>("--deployment") { Description = "Deployment file (default: examples/basalt.yaml of this checkout)." };
        var identities = new Option<string?>("--identities") { Description = "Emulator identities file (default: examples/emulator/identities.yaml)." };
        var output = new Option<string>("--output", "-o") { Description = "Output folder for the generated deployment.", DefaultValueFactory = _ => "out" };
        var prompt = new Option<string>("--prompt") { Description = "What to ask the model.", DefaultValueFactory = _ => "Say hello to the IT team rolling out Claude on Amazon Bedrock." };
        var serve = new Option<bool>("--serve") { Description = "Keep the emulator and the gateway running until Ctrl+C and print the environment for Claude Code." };
        var command = new Command("quickstart", "Generate the example deployment, print its configuration report, and stream one model answer from the local AWS emulator, directly and through Basalt's gateway.");
        command.Options.Add(serve);
        command.Options.Add(deployment);
        command.Options.Add(identities);
        command.Options.Add(output);
        command.Options.Add(prompt);
        command.SetAction((ParseResult parse, CancellationToken ct) => DeployConsole.GuardAsync(CliConsole.Of(parse), console => RunAsync(
            console,
            parse.GetValue(deployment) ?? FindExample("basalt.yaml"),
            parse.GetValue(identities) ?? FindExample(Path.Combine("emulator", "identities.yaml")),
            parse.GetValue(output)!,
            parse.GetValue(prompt)!,
            parse.GetValue(serve),
            ct)));
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console, string deploymentFile, string identitiesFile, string outputDirectory, string prompt, bool serve, CancellationToken ct)
    {
        console.Out.WriteLine($"== 1/4  Deployment: {deploymentFile} -> {outputDirectory}/");
        var (generated, result) = await DeployGenerateCommand.RunAsync(console, deploymentFile, outputDirectory, ct).ConfigureAwait(false);
        if (generated != 0)
        {
            return generated;
        }

        console.Out.WriteLine();
        console.Out.WriteLine($"== 2/4  Configuration report ({Path.Combine(outputDirectory, ReportGenerator.RelativePath)})");
        var report = result!.Artifacts.Single(a => a.RelativePath == ReportGenerator.RelativePath);
        console.Out.WriteLine(Encoding.UTF8.GetString(report.Content.Span));

        console.Out.WriteLine($"== 3/4  Local AWS: {identitiesFile}");
        var options = EmulatorOptions.Load(identitiesFile);
        if (options.HasErrors)
        {
            return DeployConsole.Fail(console, [.. options.Diagnostics]);
        }

        // An ephemeral port: the quickstart must never collide with a running `basalt emulator` or anything else.
        options.Port = 0;
        await using var emulator = await EmulatorServer.StartAsync(options, ct).ConfigureAwait(false);
        console.Out.WriteLine($"emulator listening on {emulator.BaseAddress}");

        var user = options.Users.FirstOrDefault(u => u.AccessKeys.Count > 0)
            ?? throw new InvalidOperationException($"{identitiesFile} defines no user with an access key; add one under users[].accessKeys to run the quickstart.");
        var key = user.AccessKeys[0];

        // What the Desktop credential helper does for Bedrock (bedrock-and-clients §3, §6): turn AWS credentials
        // into a short-term Bedrock API key, here from the example user's static key.
        var source = new StaticCredentialSource(new Basalt.Aws.AwsCredentials(key.AccessKeyId, key.SecretAccessKey));
        var credentials = await source.GetCredentialsAsync(new CredentialRequest(CredentialContext.Background, console.Error), ct).ConfigureAwait(false);
        var apiKey = Basalt.Aws.BedrockApiKey.Mint(credentials, options.Region, TimeSpan.FromHours(1), emulator.TimeProvider.GetUtcNow());
        console.Out.WriteLine($"credential: short-term Bedrock API key for user '{user.Name}' ({apiKey.Length} chars, region {options.Region})");

        using var http = new HttpClient();
        var clientOptions = new BedrockClientOptions
        {
            Region = options.Region,
            Auth = BedrockAuth.ApiKey(apiKey),
            RuntimeEndpoint = emulator.BaseAddress,
            ControlPlaneEndpoint = emulator.BaseAddress,
        };

        // Model discovery is what Cowork does when IT configured no model list (cowork3p-reference §7.3).
        var models = await new BedrockControlPlaneClient(http, clientOptions).DiscoverClaudeModelsAsync(ct).ConfigureAwait(false);
        console.Out.WriteLine($"discovered {models.Count} Claude model option(s); using {models[0].Id}");

        await StreamAnswerAsync(console, new BedrockRuntimeClient(http, clientOptions), models[0].Id, prompt, ct).ConfigureAwait(false);
        console.Out.WriteLine("audit (the emulator's request log):");
        foreach (var entry in emulator.RequestLog.Snapshot())
        {
            console.Out.WriteLine($"  {entry.Service,-8} {entry.Operation,-34} {entry.Outcome,-8} {entry.PrincipalArn}");
        }

        // The same answer through Basalt's gateway (issue 8 item 9): the gateway holds the AWS key, the client holds
        // only a gateway key, sent as a bearer token on the Bedrock wire (what Claude Code's Bedrock mode sends).
        console.Out.WriteLine();
        console.Out.WriteLine("== 4/4  Basalt gateway in front of the local AWS");
        var quickstart = QuickstartGateway.Create(emulator.BaseAddress, options.Region, user.Name, new Basalt.Aws.AwsCredentials(key.AccessKeyId, key.SecretAccessKey), models, Basalt.Bedrock.Models.ModelCatalogue.Default);
        await using var gateway = await GatewayServer.StartAsync(new GatewayServerOptions { Gateway = quickstart.Options }, ct).ConfigureAwait(false);
        console.Out.WriteLine($"gateway listening on {gateway.BaseAddress} ({quickstart.Options.Models.Count} models, upstream {emulator.BaseAddress})");
        var viaGateway = new BedrockClientOptions
        {
            Region = options.Region,
            Auth = BedrockAuth.ApiKey(quickstart.ApiKey),
            RuntimeEndpoint = gateway.BaseAddress,
            ControlPlaneEndpoint = gateway.BaseAddress,
        };
        await StreamAnswerAsync(console, new BedrockRuntimeClient(http, viaGateway), models[0].Id, prompt, ct).ConfigureAwait(false);

        if (!serve)
        {
            console.Out.WriteLine();
            console.Out.WriteLine($"Done. Next: `basalt quickstart --serve` (Claude Code through the gateway), `basalt config report {outputDirectory}/<group>/...`, `basalt deploy init`.");
            return 0;
        }

        console.Out.WriteLine();
        console.Out.WriteLine("Serving until Ctrl+C. Paste one block into a shell, then run `claude`:");
        console.Out.WriteLine();
        console.Out.Write(quickstart.ExportBlocks(gateway.BaseAddress, options.Region));
        console.Out.WriteLine();
        console.Out.WriteLine($"(emulator {emulator.BaseAddress}, gateway {gateway.BaseAddress}; Ctrl+C stops both.)");
        console.Out.Flush();
        await StopSignal.WaitAsync(ct).ConfigureAwait(false);
        await gateway.StopAsync(CancellationToken.None).ConfigureAwait(false);
        console.Out.WriteLine("Stopped the gateway and the emulator.");
        return 0;
    }

    /// <summary>Streams one answer with the library's Bedrock client and prints its text and usage as they arrive.</summary>
    private static async Task StreamAnswerAsync(CliConsole console, BedrockRuntimeClient runtime, string modelId, string prompt, CancellationToken ct)
    {
        // The body a Messages client would send, turned into Bedrock's form by the library (anthropic_version etc.).
        var body = BedrockAnthropicBody.ToUtf8(BedrockAnthropicBody.FromMessagesRequest(new JsonObject
        {
            ["max_tokens"] = 256,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = prompt }),
        }));
        await using var stream = await runtime.InvokeModelWithResponseStreamAsync(new BedrockInvokeRequest
        {
            ModelId = modelId,
            Body = body,

            // Emulator pacing (docs/emulator.md) so the answer visibly streams, as it does from Bedrock.
            AdditionalHeaders = [new("x-basalt-tokens-per-second", "40")],
        }, ct).ConfigureAwait(false);
        console.Out.Write("answer: ");
        var meter = new StreamMeter();
        await foreach (var e in stream.ReadEventsAsync(ct).ConfigureAwait(false))
        {
            if (e.Kind == BedrockStreamEventKind.Exception)
            {
                throw e.ToException();
            }

            meter.Observe(e);
            console.Out.Write(e.TextDelta());
        }

        console.Out.WriteLine();
        console.Out.WriteLine($"usage: {(meter.InvocationMetrics is { } m
            ? $"input {m.InputTokenCount} tokens, output {m.OutputTokenCount} tokens, first byte {m.FirstByteLatencyMs} ms"
            : "no invocation metrics in the stream")}");
    }

    /// <summary>examples/ of this checkout, found from the working directory or the installed tool's location.</summary>
    private static string FindExample(string relative)
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "examples", relative);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new FileNotFoundException($"cannot find examples/{relative}; run from the Basalt checkout or pass --deployment/--identities.");
    }
}
