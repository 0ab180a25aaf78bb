using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Basalt.Gateway.Tests.TestSupport;
using Basalt.Testing;
using Basalt.Usage.Records;
using Basalt.Usage.Stores;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Resources;

namespace Basalt.Gateway.Tests.Usage;

/// <summary>
/// Usage configured in the gateway YAML (issue 10): the host starts it, records land in the configured store, and
/// the usage routes — admin API, <c>/metrics</c>, OTLP ingest, <c>/readyz</c> — answer on the gateway's listener.
/// </summary>
public sealed class GatewayUsageRoutesTests
{
    private static readonly string AdminKey = "bsk_admin_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    private static readonly string AdminSha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(AdminKey)));

    internal static async Task<JsonElement> AskAsync(HttpClient client, string prompt, string model = "sonnet", HttpStatusCode expect = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = JsonContent.Create(new { model, max_tokens = 64, messages = new[] { new { role = "user", content = prompt } } }),
        };
        request.Headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expect, $"{(int)response.StatusCode}: {text}");
        using var doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Polls until the store holds <paramref name="count"/> records (the writer moves journal batches asynchronously).</summary>
    private static async Task<long> WaitForRecordsAsync(GatewayTestHost host, long count)
    {
        var usage = host.Gateway.Usage!;
        long n = 0;
        for (var i = 0; i < 200 && n < count; i++)
        {
            await Task.Delay(i == 0 ? 0 : 50);
            await usage.Sink.FlushAsync(CancellationToken.None);
            n = await usage.Store.CountRecordsAsync(CancellationToken.None);
        }

        return n;
    }

    [Fact]
    public async Task Usage_from_the_configuration_records_into_the_SQLite_file_and_the_admin_API_reports_it_to_admins_only()
    {
        using var temp = new TempDirectory("gw-usage-cfg");
        await using var host = await GatewayTestHost.StartAsync(new GatewayTestOptions
        {
            UsageYaml = $$"""
                    dataDir: "{{temp.Path}}"
                    budgets: [ { id: alice-month, scope: user, value: alice, period: month, tokens: 1000000 } ]
                    admin: { sha256: [ {{AdminSha}} ], groups: [ engineering ] }
                """,
        });
        Assert.Equal("sqlite", host.Gateway.Usage!.Store.Kind);
        using var alice = host.Client(host.AliceKey);
        using var bob = host.Client(host.BobKey);
        long input = 0, output = 0;
        for (var i = 0; i < 3; i++)
        {
            var answer = await AskAsync(alice, $"Admin API request {i}");
            input += answer.GetProperty("usage").GetProperty("input_tokens").GetInt64();
            output += answer.GetProperty("usage").GetProperty("output_tokens").GetInt64();
        }

        await AskAsync(bob, "bob's one request", "haiku");
        Assert.Equal(4, await WaitForRecordsAsync(host, 4));
        Assert.True(File.Exists(temp.Combine("usage.db")), "the SQLite store is the file under dataDir");
        Assert.True(Directory.Exists(temp.Combine("journal")));

        using var admin = host.Client(AdminKey);
        var (status, body) = await GetAsync(admin, "/admin/usage?by=user");
        Assert.True(status == HttpStatusCode.OK, body);
        using (var doc = JsonDocument.Parse(body))
        {
            Assert.True(doc.RootElement.GetProperty("rows").GetArrayLength() == 2, body);
            var rows = doc.RootElement.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("key").GetString()!, r => r.Clone());
            Assert.Equal((3L, input, output), (rows["alice"].GetProperty("requests").GetInt64(), rows["alice"].GetProperty("input_tokens").GetInt64(), rows["alice"].GetProperty("output_tokens").GetInt64()));
            Assert.Equal(1, rows["bob"].GetProperty("requests").GetInt64());
        }

        (status, body) = await GetAsync(admin, "/admin/usage?by=model&from=2020-01-01&to=2100-01-01");
        Assert.True(status == HttpStatusCode.OK, body);
        Assert.Contains("\"by\": \"model\"", body, StringComparison.Ordinal);

        (status, body) = await GetAsync(admin, "/admin/budgets");
        Assert.True(status == HttpStatusCode.OK, body);
        using (var doc = JsonDocument.Parse(body))
        {
            var budget = Assert.Single(doc.RootElement.EnumerateArray());
            Assert.Equal("alice-month", budget.GetProperty("id").GetString());
            Assert.Equal(input + output, budget.GetProperty("usedTokens").GetInt64());
        }

        // alice is in the admin group; bob is not; nobody without a credential.
        using var aliceAdmin = host.Client(host.AliceKey);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(aliceAdmin, "/admin/refusals")).Status);
        (status, body) = await GetAsync(bob, "/admin/usage");
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("'bob' is not an administrator", JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        using var anonymous = host.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(anonymous, "/admin/usage")).Status);
        (status, body) = await GetAsync(admin, "/admin/usage?by=colour");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("expected user, group, model, key, day or routing", JsonDocument.Parse(body).RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        (status, _) = await GetAsync(admin, "/admin/usage?from=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task The_metrics_scrape_needs_an_admin_credential_and_passes_promtool_check_metrics()
    {
        var promtool = ExternalTools.Require("promtool", "apt-get install -y prometheus");
        using var temp = new TempDirectory("gw-usage-metrics");
        await using var host = await GatewayTestHost.StartAsync(new GatewayTestOptions
        {
            UsageYaml = $$"""
                    dataDir: "{{temp.Path}}"
                    admin: { sha256: [ {{AdminSha}} ] }
                """,
        });
        using var alice = host.Client(host.AliceKey);
        await AskAsync(alice, "one metered request");
        await WaitForRecordsAsync(host, 1);

        using var anonymous = host.Client();
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(anonymous, "/metrics")).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(alice, "/metrics")).Status);

        using var admin = host.Client(AdminKey);
        var (status, scrape) = await GetAsync(admin, "/metrics");
        Assert.True(status == HttpStatusCode.OK, scrape);
        Assert.Contains("gen_ai_client_token_usage", scrape, StringComparison.Ordinal);
        Assert.Contains("enduser_id=\"alice\"", scrape, StringComparison.Ordinal);
        Assert.Contains("basalt_usage_store_up", scrape, StringComparison.Ordinal);
        var check = await ProcessRunner.RunAsync(promtool, ["check", "metrics"], stdin: scrape, timeout: TimeSpan.FromSeconds(30));
        Assert.True(check.ExitCode == 0, check.ToString());
    }

    [Fact]
    public async Task Device_OTLP_logs_exported_by_the_OpenTelemetry_SDK_to_the_gateway_are_authenticated_and_folded_into_usage()
    {
        using var temp = new TempDirectory("gw-usage-otlp");
        await using var host = await GatewayTestHost.StartAsync(new GatewayTestOptions { UsageYaml = $"    dataDir: \"{temp.Path}\"" });

        // An independent encoder: the OpenTelemetry .NET SDK's OTLP/HTTP protobuf log exporter, pointed at the gateway
        // with the device's gateway key as a header (what OTEL_EXPORTER_OTLP_HEADERS does for Claude Code).
        using (var factory = LoggerFactory.Create(b => b.AddOpenTelemetry(o =>
        {
            o.SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("claude-code"));
            o.AddOtlpExporter(e =>
            {
                e.Endpoint = new Uri(host.Gateway.BaseAddress, "v1/logs");
                e.Protocol = OtlpExportProtocol.HttpProtobuf;
                e.Headers = "x-api-key=" + host.AliceKey;
            });
        })))
        {
            var logger = factory.CreateLogger("com.anthropic.claude_code.events");
#pragma warning disable CA1848, CA2254, CA1727, CA1873 // The templates are the device's attribute names, not a performance path.
            logger.LogInformation("claude_code.api_request {event.name} {model} {input_tokens} {output_tokens} {cache_read_tokens} {cache_creation_tokens} {cost_usd} {duration_ms} {session.id} {event.sequence}",
                "api_request", "claude-sonnet-4-5", 1200, 300, 5000, 0, 0.0123, 2100, "session-gw", 1);
            logger.LogInformation("claude_code.tool_result {event.name} {tool_name}", "tool_result", "Bash");
#pragma warning restore CA1848, CA2254, CA1727, CA1873
        }

        Assert.Equal(1, await WaitForRecordsAsync(host, 1));
        var record = Assert.Single(await host.Gateway.Usage!.Store.RecentAsync(refusedOnly: false, 10, CancellationToken.None));
        Assert.Equal((UsageSource.Device, "alice", "claude-sonnet-4-5", 1200L, 300L, 5000L), (record.Source, record.UserId, record.ModelServed, record.InputTokens, record.OutputTokens, record.CacheReadTokens));

        // JSON encoding answers JSON; no credential is refused like any other call.
        using var alice = host.Client(host.AliceKey);
        using (var json = await alice.PostAsync(new Uri("/v1/logs", UriKind.Relative), new StringContent("{\"resourceLogs\":[]}", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, json.StatusCode);
            Assert.Equal("{}", await json.Content.ReadAsStringAsync());
        }

        using (var metrics = await alice.PostAsync(new Uri("/v1/metrics", UriKind.Relative), new ByteArrayContent([]) { Headers = { { "Content-Type", "application/x-protobuf" } } }))
        {
            Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        }

        using var anonymous = host.Client();
        using var refused = await anonymous.PostAsync(new Uri("/v1/logs", UriKind.Relative), new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        using var garbage = await alice.PostAsync(new Uri("/v1/logs", UriKind.Relative), new ByteArrayContent([0x0a, 0xff, 0xff, 0xff]) { Headers = { { "Content-Type", "application/x-protobuf" } } });
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
    }

    [Fact]
    public async Task With_the_PostgreSQL_store_down_readyz_says_why_requests_are_refused_and_nothing_recorded_is_lost_when_it_returns()
    {
        // A cluster of this test's own: stopping the shared one would break other tests.
        var script = Path.Combine(RepoPaths.Root, "scripts", "pg-test-cluster.sh");
        var dir = Path.Combine(Path.GetTempPath(), $"basalt-pg-outage-{Guid.NewGuid():N}"[..36]);
        var start = await ProcessRunner.RunAsync("bash", [script, "start", dir], timeout: TimeSpan.FromMinutes(2));
        Assert.True(start.ExitCode == 0, start.ToString());
        try
        {
            using var temp = new TempDirectory("gw-usage-outage");
            await using var host = await GatewayTestHost.StartAsync(new GatewayTestOptions
            {
                Environment = new Dictionary<string, string> { ["USAGE_PG"] = start.Stdout.Trim() },
                UsageYaml = $$"""
                        store: { postgresql: "${env:USAGE_PG}" }
                        journal: "{{temp.Combine("journal")}}"
                        audit: "{{temp.Combine("audit.jsonl")}}"
                        onStoreOutage: refuse
                        budgets: [ { id: alice-day, scope: user, value: alice, period: day, tokens: 100000000 } ]
                    """,
            });
            using var alice = host.Client(host.AliceKey);
            using var anonymous = host.Client();
            var before = new List<long>();
            for (var i = 0; i < 5; i++)
            {
                before.Add((await AskAsync(alice, $"before the outage {i}")).GetProperty("usage").GetProperty("output_tokens").GetInt64());
            }

            Assert.Equal(HttpStatusCode.OK, (await GetAsync(anonymous, "/readyz")).Status);

            var halt = await ProcessRunner.RunAsync("bash", [script, "halt", dir], timeout: TimeSpan.FromMinutes(1));
            Assert.True(halt.ExitCode == 0, halt.ToString());

            // Within the budget refresh interval the policy touches the store, fails, and refuses (fail closed).
            JsonElement refusal = default;
            var okDuring = 0;
            for (var i = 0; i < 100; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = JsonContent.Create(new { model = "sonnet", max_tokens = 16, messages = new[] { new { role = "user", content = "during the outage" } } }) };
                using var response = await alice.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    refusal = JsonDocument.Parse(text).RootElement.Clone();
                    break;
                }

                Assert.True(response.StatusCode == HttpStatusCode.OK, text);
                okDuring++;
                await Task.Delay(100);
            }

            Assert.True(refusal.ValueKind == JsonValueKind.Object, "no request was refused while the store was down");
            Assert.Contains("usage store is unavailable", refusal.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);

            var (status, ready) = await GetAsync(anonymous, "/readyz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            using (var doc = JsonDocument.Parse(ready))
            {
                var usage = doc.RootElement.GetProperty("usage");
                Assert.Equal("postgresql", usage.GetProperty("store").GetString());
                Assert.Equal("unavailable", usage.GetProperty("status").GetString());
                Assert.Contains("unavailable", usage.GetProperty("reason").GetString(), StringComparison.Ordinal);
            }

            start = await ProcessRunner.RunAsync("bash", [script, "start", dir], timeout: TimeSpan.FromMinutes(2));
            Assert.True(start.ExitCode == 0, start.ToString());

            // Back: every admitted request (before and during the outage) reaches the store once.
            var expected = before.Count + okDuring;
            long ok = 0;
            for (var i = 0; i < 300 && ok < expected; i++)
            {
                await Task.Delay(100);
                try
                {
                    var now = DateTimeOffset.UtcNow;
                    var rows = await host.Gateway.Usage!.Store.ReportAsync(new UsageReportQuery(ReportBy.User, now.AddDays(-1), now.AddHours(1)), CancellationToken.None);
                    ok = rows.Where(r => r.Key == "alice").Sum(r => r.Totals.Requests - r.Totals.RefusedRequests);
                }
                catch (Npgsql.NpgsqlException)
                {
                    // The pool is still reconnecting.
                }
            }

            Assert.Equal(expected, ok);
            for (var i = 0; i < 100 && (await GetAsync(anonymous, "/readyz")).Status != HttpStatusCode.OK; i++)
            {
                await AskAsync(alice, "after the outage");
                await Task.Delay(100);
            }

            Assert.Equal(HttpStatusCode.OK, (await GetAsync(anonymous, "/readyz")).Status);
        }
        finally
        {
            await ProcessRunner.RunAsync("bash", [script, "stop", dir], timeout: TimeSpan.FromMinutes(1));
        }
    }
}
