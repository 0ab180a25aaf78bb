using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Basalt.Emulator.Tests.Bedrock;
using Basalt.Testing.Hostile;
using Xunit.Abstractions;

namespace Basalt.Emulator.Tests.Hostile;

/// <summary>
/// The emulator's part of the standing hostile corpus (issue 14): grammar-aware mutations of valid Bedrock
/// Anthropic request bodies sent over real HTTP to InvokeModel, InvokeModelWithResponseStream and CountTokens.
/// Every answer is a success or a 4xx with <c>X-Amzn-ErrorType</c> and a JSON message, as Bedrock answers, never a
/// 5xx; every call appears in the request log; each case stays within 2 s and 300 MB.
/// </summary>
public sealed class HostileRequestCorpusTests(ITestOutputHelper output)
{
    private const int CasesPerSeed = 150;
    private const string Sonnet = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";

    private static readonly string[] Seeds =
    [
        BedrockHost.Body("Hello emulator"),
        """{"anthropic_version":"bedrock-2023-05-31","max_tokens":200,"system":"be brief","messages":[{"role":"user","content":[{"type":"text","text":"hi"}]},{"role":"assistant","content":"hello"},{"role":"user","content":"again"}]}""",
        """{"anthropic_version":"bedrock-2023-05-31","max_tokens":300,"tools":[{"name":"get_weather","description":"d","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}],"messages":[{"role":"user","content":"weather?"}]}""",
        """{"anthropic_version":"bedrock-2023-05-31","max_tokens":2048,"thinking":{"type":"enabled","budget_tokens":1024},"messages":[{"role":"user","content":"think"}]}""",
        """{"anthropic_version":"bedrock-2023-05-31","max_tokens":100,"stop_sequences":["END"],"temperature":0.5,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"42"}]}]}""",
    ];

    private static readonly string[] Operations = ["invoke", "invoke-with-response-stream", "count-tokens"];

    [Fact]
    public async Task Mutated_requests_are_answered_like_bedrock_and_logged_within_budget()
    {
        await using var host = await BedrockHost.StartAsync();
        var stats = new CorpusStats("emulator requests", TimeSpan.FromSeconds(2), 300L * 1024 * 1024);
        var mutator = new HostileMutator(seed: 7);
        var sent = 0;
        var number = 0;
        for (var s = 0; s < Seeds.Length; s++)
        {
            foreach (var c in mutator.Generate($"seed{s}", Encoding.UTF8.GetBytes(Seeds[s]), HostileMutator.Grammar.Json, CasesPerSeed, number))
            {
                var operation = Operations[c.Number % Operations.Length];
                await stats.RunAsync($"#{c.Number} seed{s} {operation} {c.Operators}", async () =>
                {
                    using var content = new ByteArrayContent(c.Content);
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                    var path = operation == "count-tokens" ? $"model/{Sonnet}/count-tokens" : $"model/{Sonnet}/{operation}";
                    using var response = await host.Client.PostAsync(path, content);
                    sent++;
                    var body = await response.Content.ReadAsByteArrayAsync();
                    var status = (int)response.StatusCode;
                    if (status >= 500)
                    {
                        stats.Fail($"#{c.Number}", $"answered {status}");
                    }
                    else if (status >= 400)
                    {
                        if (!response.Headers.TryGetValues("X-Amzn-ErrorType", out var type) || string.IsNullOrEmpty(type.Single()))
                        {
                            stats.Fail($"#{c.Number}", $"{status} without X-Amzn-ErrorType");
                        }

                        using var json = JsonDocument.Parse(body);
                        if (!json.RootElement.TryGetProperty("message", out _))
                        {
                            stats.Fail($"#{c.Number}", $"{status} without a JSON message");
                        }
                    }
                    else if (response.StatusCode != HttpStatusCode.OK)
                    {
                        stats.Fail($"#{c.Number}", $"answered {status}");
                    }
                });
            }

            number += CasesPerSeed;
        }

        Assert.Equal(sent, host.Log.Snapshot().Count);
        output.WriteLine(stats.Summary());
        Console.WriteLine(stats.Summary());
        Assert.True(stats.Failures.Count == 0, stats.Summary() + "\n" + string.Join("\n", stats.Failures));
    }
}
