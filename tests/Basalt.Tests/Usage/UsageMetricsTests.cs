using Basalt.Testing;
using Basalt.Usage;
using Basalt.Usage.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Basalt.Tests.Usage;

public sealed class UsageMetricsTests
{
    [Fact]
    public async Task The_Prometheus_scrape_of_usage_metrics_passes_promtool_check_metrics()
    {
        var promtool = ExternalTools.Require("promtool", "apt-get install -y prometheus");
        var port = DeviceTelemetryIngestTests.FreePort();
        using var metrics = new UsageMetrics(() => new UsageHealth(true, null, 0, 42));
        using (Sdk.CreateMeterProviderBuilder()
            .AddMeter(UsageMetrics.MeterName)
            .AddPrometheusHttpListener(o =>
            {
                o.Host = "127.0.0.1";
                o.Port = port;
            })
            .Build())
        {
            var now = DateTimeOffset.UtcNow;
            metrics.Record(UsageTestData.Record("m1", "alice", now, 1000, 200));
            metrics.Record(UsageTestData.Record("m2", "bob", now, 10, 20) with { Outcome = UsageOutcome.UpstreamError, Upstream = "us-east-1" });
            metrics.Refused("budget", "daily-user");

            using var http = new HttpClient();
            var scrape = await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
            Assert.Contains("gen_ai_client_token_usage", scrape, StringComparison.Ordinal);
            Assert.Contains("enduser_id=\"alice\"", scrape, StringComparison.Ordinal);
            Assert.Contains("basalt_gateway_policy_refusals", scrape, StringComparison.Ordinal);
            Assert.Contains("basalt_usage_store_up", scrape, StringComparison.Ordinal);

            var check = await ProcessRunner.RunAsync(promtool, ["check", "metrics"], stdin: scrape, timeout: TimeSpan.FromSeconds(30));
            Assert.True(check.ExitCode == 0, check.ToString());
        }
    }
}
