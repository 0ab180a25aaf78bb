using System.Net.Http.Json;
using System.Text.Json;
using Basalt.Gateway.Tests.TestSupport;
using Basalt.Testing;

namespace Basalt.Gateway.Tests.Usage;

/// <summary>
/// <c>usage.otlp</c> (issue 10): the gateway pushes its metrics and log lines over OTLP/HTTP, and a receiver that is
/// not Basalt's code (tests/interop/usage/otlp-receiver.mjs: the OpenTelemetry JS project's protobuf classes
/// generated from opentelemetry-proto) decodes what arrived: the GenAI token histogram adds up to the tokens the
/// clients were told, the request counter to the requests, and the access lines carry request ids, never prompts.
/// The gateway's meter is process-wide (every gateway in this test process records into "Basalt.Gateway"), so this
/// test runs alone: other tests' requests would otherwise be in the sums.
/// </summary>
[Collection(ProcessWideMetrics.Name)]
public sealed class GatewayOtlpExportTests
{
    [Fact]
    public async Task Metrics_and_log_lines_exported_over_OTLP_are_decoded_by_an_independent_receiver_and_add_up_to_the_requests()
    {
        await using var receiver = ServerProcess.Start("node", [Path.Combine(RepoPaths.Interop, "usage", "otlp-receiver.mjs")], workingDirectory: RepoPaths.Interop);
        var endpoint = receiver.WaitForListening();
        using var temp = new TempDirectory("gw-otlp-export");
        long input = 0, output = 0;
        var requestIds = new List<string>();
        const string Secret = "PROMPT-MARKER-7f3a do not export me";
        await using (var host = await GatewayTestHost.StartAsync(new GatewayTestOptions
        {
            UsageYaml = $$"""
                    store: { sqlite: "{{temp.Combine("usage.db")}}" }
                    journal: "{{temp.Combine("journal")}}"
                    audit: "{{temp.Combine("audit.jsonl")}}"
                    otlp: { endpoint: "{{endpoint.ToString().TrimEnd('/')}}", protocol: http/protobuf, interval: 1s }
                """,
        }))
        {
            using var alice = host.Client(host.AliceKey);
            for (var i = 0; i < 3; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
                {
                    Content = JsonContent.Create(new { model = "sonnet", max_tokens = 64, messages = new[] { new { role = "user", content = $"{Secret} {i}" } } }),
                };
                request.Headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");
                using var response = await alice.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                Assert.True(response.IsSuccessStatusCode, text);
                requestIds.Add(response.Headers.GetValues("request-id").Single());
                using var doc = JsonDocument.Parse(text);
                input += doc.RootElement.GetProperty("usage").GetProperty("input_tokens").GetInt64();
                output += doc.RootElement.GetProperty("usage").GetProperty("output_tokens").GetInt64();
            }

            // Metrics are cumulative: wait for an export that has seen all three requests. Disposing the host below
            // flushes the last batch of log lines.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (DateTime.UtcNow < deadline && !Exports(receiver, "metrics").Any(m => Sum(m, "basalt.gateway.requests", null) >= 3))
            {
                await Task.Delay(200);
            }
        }

        await Task.Delay(500);
        var metrics = Exports(receiver, "metrics").Where(m => Sum(m, "basalt.gateway.requests", null) >= 3).ToList();
        Assert.True(metrics.Count > 0, "no metrics export with the three requests arrived:\n" + receiver.Stdout);
        var last = metrics[^1];
        Assert.Equal("basalt-gateway", last.GetProperty("service").GetString());
        Assert.Equal(3, Sum(last, "basalt.gateway.requests", null));
        Assert.Equal(input, Sum(last, "gen_ai.client.token.usage", ("gen_ai.token.type", "input")));
        Assert.Equal(output, Sum(last, "gen_ai.client.token.usage", ("gen_ai.token.type", "output")));

        var records = Exports(receiver, "logs").SelectMany(l => l.GetProperty("records").EnumerateArray()).ToList();
        var exportedIds = records.Select(r => r.GetProperty("attributes").TryGetProperty("RequestId", out var id) ? id.GetString() : null).ToHashSet();
        Assert.All(requestIds, id => Assert.Contains(id, exportedIds));
        Assert.DoesNotContain("PROMPT-MARKER-7f3a", receiver.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(KeyPrefix, receiver.Stdout, StringComparison.Ordinal);
    }

    private const string KeyPrefix = "bsk_alice_";

    private static IEnumerable<JsonElement> Exports(ServerProcess receiver, string signal)
    {
        foreach (var line in receiver.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!line.StartsWith('{'))
            {
                continue;
            }

            var e = JsonDocument.Parse(line).RootElement;
            Assert.False(e.TryGetProperty("error", out var error), $"the receiver could not decode an export: {error}");
            if (e.GetProperty("signal").GetString() == signal)
            {
                yield return e;
            }
        }
    }

    /// <summary>Sum of a metric's data points (a histogram's sum, a counter's value), optionally for one attribute value.</summary>
    private static long Sum(JsonElement export, string name, (string Key, string Value)? attribute) =>
        (long)export.GetProperty("points").EnumerateArray()
            .Where(p => p.GetProperty("name").GetString() == name)
            .Where(p => attribute is not { } a || (p.GetProperty("attributes").TryGetProperty(a.Key, out var v) && v.GetString() == a.Value))
            .Sum(p => p.GetProperty("value").GetDouble());
}
