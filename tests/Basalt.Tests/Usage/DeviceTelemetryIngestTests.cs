using System.Net;
using System.Net.Sockets;
using System.Text;
using Basalt.Usage.Ingest;
using Basalt.Usage.Pricing;
using Basalt.Usage.Records;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Resources;

namespace Basalt.Tests.Usage;

public sealed class DeviceTelemetryIngestTests
{
    [Fact]
    public async Task Api_request_events_exported_as_OTLP_protobuf_by_the_OpenTelemetry_SDK_fold_into_device_reported_usage()
    {
        var port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var received = ReceiveAsync(listener);

        using (var factory = LoggerFactory.Create(b => b.AddOpenTelemetry(o =>
        {
            o.SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("claude-code").AddAttributes([new("enduser.id", "device-login-name")]));
            o.AddOtlpExporter(e =>
            {
                e.Endpoint = new Uri($"http://127.0.0.1:{port}/v1/logs");
                e.Protocol = OtlpExportProtocol.HttpProtobuf;
            });
        })))
        {
            var logger = factory.CreateLogger("com.anthropic.claude_code.events");
#pragma warning disable CA1848, CA2254, CA1727, CA1873 // The templates are the device's attribute names, not a performance path.
            logger.LogInformation("claude_code.api_request {event.name} {model} {input_tokens} {output_tokens} {cache_read_tokens} {cache_creation_tokens} {cost_usd} {duration_ms} {session.id} {event.sequence}",
                "api_request", "claude-sonnet-5", 1200, 300, 5000, 0, 0.0123, 2100, "session-1", 1);
            logger.LogInformation("claude_code.api_request {event.name} {model} {input_tokens} {output_tokens} {cache_read_tokens} {cache_creation_tokens} {cost_usd} {duration_ms} {session.id} {event.sequence}",
                "api_request", "mystery-model", 10, 20, 0, 0, 0.5, 100, "session-1", 2);
            logger.LogInformation("claude_code.tool_result {event.name} {tool_name}", "tool_result", "Bash");
#pragma warning restore CA1848, CA2254, CA1727, CA1873
        }

        var (body, contentType) = await received.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains("protobuf", contentType, StringComparison.OrdinalIgnoreCase);
        var ingest = new DeviceTelemetryIngest(UsageTestData.Pricer());
        var result = ingest.FoldLogs(body, contentType, UsageTestData.Principal("alice", "eng"));

        Assert.Equal(3, result.LogRecords);
        Assert.Equal(2, result.Records.Count);
        var sonnet = result.Records.Single(r => r.ModelServed == "claude-sonnet-5");
        Assert.Equal(UsageSource.Device, sonnet.Source);
        Assert.Equal("alice", sonnet.UserId);
        Assert.Equal((1200, 300, 5000), (sonnet.InputTokens, sonnet.OutputTokens, sonnet.CacheReadTokens));
        Assert.Equal(UsagePricer.ToNanos((1200 * 3m + 300 * 15m + 5000 * 0.30m) / 1_000_000), sonnet.CostNanos);
        Assert.Equal(PriceBasis.Catalogue, sonnet.PriceBasis);
        Assert.Equal("session-1", sonnet.SessionId);
        Assert.Equal("claude-code", sonnet.UserAgent);
        var mystery = result.Records.Single(r => r.ModelServed == "mystery-model");
        Assert.Equal((UsagePricer.ToNanos(0.5m), PriceBasis.Fallback), (mystery.CostNanos, mystery.PriceBasis));

        // A device retrying the same export yields the same ids: the store keeps one of each.
        Assert.Equal(result.Records.Select(r => r.RequestId), ingest.FoldLogs(body, contentType, UsageTestData.Principal("alice", "eng")).Records.Select(r => r.RequestId));
    }

    [Fact]
    public void Api_request_events_in_OTLP_JSON_with_string_numbers_as_the_desktop_stream_sends_them_are_folded()
    {
        const string json = """
            {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"cowork"}},{"key":"enduser.id","value":{"stringValue":"bob@example.com"}}]},
              "scopeLogs":[{"scope":{"name":"com.anthropic.claude_code.events"},"logRecords":[
                {"timeUnixNano":"1764950400000000000","body":{"stringValue":"claude_code.api_request"},"attributes":[
                  {"key":"event.name","value":{"stringValue":"api_request"}},{"key":"model","value":{"stringValue":"claude-sonnet-5"}},
                  {"key":"input_tokens","value":{"stringValue":"100"}},{"key":"output_tokens","value":{"intValue":"50"}},
                  {"key":"cache_read_tokens","value":{"stringValue":"0"}},{"key":"cache_creation_tokens","value":{"stringValue":"1000"}},
                  {"key":"cost_usd","value":{"doubleValue":0.01}},{"key":"duration_ms","value":{"stringValue":"900"}},
                  {"key":"session.id","value":{"stringValue":"s-9"}},{"key":"prompt.id","value":{"stringValue":"p-1"}}]},
                {"timeUnixNano":"1764950401000000000","body":{"stringValue":"claude_code.user_prompt"},"attributes":[
                  {"key":"event.name","value":{"stringValue":"user_prompt"}},{"key":"prompt","value":{"stringValue":"<REDACTED>"}}]}]}]}]}
            """;
        var result = new DeviceTelemetryIngest(UsageTestData.Pricer()).FoldLogs(Encoding.UTF8.GetBytes(json), "application/json", UsageTestData.Principal("bob", "sales"));
        Assert.Equal(2, result.LogRecords);
        var r = Assert.Single(result.Records);
        Assert.Equal((100, 50, 1000), (r.InputTokens, r.OutputTokens, r.CacheWrite5mTokens));
        Assert.Equal(new DateTimeOffset(2025, 12, 5, 16, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), r.TimestampMs);
        Assert.Equal(["sales"], r.Groups);
        Assert.Equal("bob", r.UserId);
    }

    private static async Task<(byte[] Body, string ContentType)> ReceiveAsync(HttpListener listener)
    {
        while (true)
        {
            var ctx = await listener.GetContextAsync();
            using var ms = new MemoryStream();
            await ctx.Request.InputStream.CopyToAsync(ms);
            var path = ctx.Request.Url!.AbsolutePath;
            var type = ctx.Request.ContentType ?? string.Empty;
            ctx.Response.StatusCode = 200;
            ctx.Response.Close();
            if (path == "/v1/logs" && ms.Length > 0)
            {
                return (ms.ToArray(), type);
            }
        }
    }

    internal static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
