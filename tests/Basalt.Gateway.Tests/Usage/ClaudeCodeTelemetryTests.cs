using Basalt.Gateway.Tests.TestSupport;
using Basalt.Testing;
using Basalt.Usage.Records;
using Basalt.Usage.Stores;

namespace Basalt.Gateway.Tests.Usage;

/// <summary>
/// Issue 10 "done when": the OTLP payloads that Claude Code itself sends are accepted. The npm package (pinned in
/// tests/interop) runs with its telemetry on and its exporter pointed at the gateway (cowork3p-reference.md §9: the
/// same variables an administrator puts in managed settings), in both OTLP/HTTP encodings; the gateway answers
/// every export 2xx and folds Claude Code's <c>api_request</c> events into usage as device-reported records of the
/// key's owner.
/// </summary>
public sealed class ClaudeCodeTelemetryTests
{
    [Theory]
    [InlineData("http/protobuf")]
    [InlineData("http/json")]
    public async Task Claude_codes_own_OTLP_exports_to_the_gateway_are_accepted_and_folded_into_usage_as_device_reported(string protocol)
    {
        using var temp = new TempDirectory("gw-claude-otlp");
        var access = new AccessLog();
        await using var host = await GatewayTestHost.StartAsync(new GatewayTestOptions
        {
            AccessLog = access,
            ExtraModelsYaml = """
                    claude-opus-5-5:
                      routes:
                        - { upstream: region0, model: "us.anthropic.claude-opus-5-5" }
                """,
            UsageYaml = $$"""
                    store: { sqlite: "{{temp.Combine("usage.db")}}" }
                    journal: "{{temp.Combine("journal")}}"
                    audit: "{{temp.Combine("audit.jsonl")}}"
                """,
        });
        using var home = new TempDirectory("claude-home");
        var environment = ClaudeCode.Environment(home.Path);
        environment["ANTHROPIC_BASE_URL"] = host.BaseUrl;
        environment["ANTHROPIC_AUTH_TOKEN"] = host.AliceKey;
        environment["CLAUDE_CODE_ENABLE_TELEMETRY"] = "1";
        environment["OTEL_LOGS_EXPORTER"] = "otlp";
        environment["OTEL_METRICS_EXPORTER"] = "otlp";
        environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = protocol;
        environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = host.BaseUrl;
        environment["OTEL_EXPORTER_OTLP_HEADERS"] = "x-api-key=" + host.AliceKey;
        environment["OTEL_LOGS_EXPORT_INTERVAL"] = "1000";
        environment["OTEL_METRIC_EXPORT_INTERVAL"] = "1000";

        var result = await ClaudeCode.PrintAsync("hello there", environment, home.Path);
        var trace = $"{result}\n--- gateway access log ---\n{access}";
        Assert.True(result.ExitCode == 0, trace);

        var exports = access.Lines.Where(l => l.Path is "/v1/logs" or "/v1/metrics").ToList();
        Assert.Contains(exports, l => l.Path == "/v1/logs");
        Assert.All(exports, l => Assert.True(l.Method == "POST" && l.Status is >= 200 and < 300, $"{l.Method} {l.Path} answered {l.Status}\n{trace}"));

        var usage = host.Gateway.Usage!;
        long device = 0;
        for (var i = 0; i < 100 && device == 0; i++)
        {
            await Task.Delay(i == 0 ? 0 : 100);
            await usage.Sink.FlushAsync(CancellationToken.None);
            var now = DateTimeOffset.UtcNow;
            var rows = await usage.Store.ReportAsync(new UsageReportQuery(ReportBy.User, now.AddDays(-1), now.AddHours(1)), CancellationToken.None);
            device = rows.Where(r => r.Key == "alice").Sum(r => r.Totals.DeviceReportedRequests);
        }

        Assert.True(device >= 1, $"no device-reported record for alice from Claude Code's api_request events\n{trace}");
    }
}
