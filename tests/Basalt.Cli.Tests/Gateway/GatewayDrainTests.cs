using System.Net.Http.Headers;
using Basalt.Testing;
using Basalt.Usage;
using Basalt.Usage.Records;
using Basalt.Usage.Stores;

namespace Basalt.Cli.Tests.Gateway;

/// <summary>
/// Issue 8 item 8, graceful drain, with a real <c>basalt gateway serve</c> process and SIGTERM: new connections are
/// refused at once, streams in flight finish, streams still open at <c>limits.drainTimeoutSeconds</c> are cancelled
/// (upstream included), and every accepted request is in the usage store exactly once when the process exits.
/// </summary>
public sealed class GatewayDrainTests
{
    internal static async Task<(string RequestId, HttpResponseMessage Response, Stream Body)> OpenStreamAsync(HttpClient client, string prompt, string model = "haiku")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = ServedGateway.Message(prompt, stream: true, model) };
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(200, (int)response.StatusCode);
        var body = await response.Content.ReadAsStreamAsync();
        var first = new byte[1];
        Assert.Equal(1, await body.ReadAsync(first));
        return (response.Headers.GetValues("request-id").Single(), response, body);
    }

    internal static async Task<IReadOnlyList<UsageRecord>> StoredAsync(string directory, string? database = null)
    {
        await using var store = await UsageStoreFactory.OpenAndMigrateAsync("sqlite", database ?? Path.Combine(directory, "basalt-data", "usage.db"), CancellationToken.None);
        return await store.RecentAsync(false, 10_000, CancellationToken.None);
    }

    internal static string Words(int count) => string.Join(' ', Enumerable.Range(0, count).Select(i => $"word{i}"));

    [Fact]
    public async Task Sigterm_refuses_new_connections_lets_open_streams_finish_and_stores_every_accepted_request_once()
    {
        // ~20 words per second: each stream is still running for a few seconds after the signal.
        await using var emulator = await ServedGateway.StartEmulatorAsync(tokensPerSecond: 20);
        using var dir = new TempDirectory("cli-gateway-drain");
        var key = "bsk_alice_drain_0123456789abcdef";
        var config = dir.Write("gateway.yaml", ServedGateway.Config(emulator, drainSeconds: 30));
        await using var gateway = await ServedGateway.StartAsync(config, ServedGateway.Environment(key));
        using var client = gateway.Client(key);
        var accepted = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            using var done = await client.PostAsync("/v1/messages", ServedGateway.Message($"before the signal {i}", stream: false));
            Assert.Equal(200, (int)done.StatusCode);
            accepted.Add(done.Headers.GetValues("request-id").Single());
        }

        var streams = new List<(string RequestId, HttpResponseMessage Response, Stream Body)>();
        for (var i = 0; i < 3; i++)
        {
            streams.Add(await OpenStreamAsync(client, $"stream {i} " + Words(60)));
        }

        gateway.Signal(ServedGateway.Sigterm);
        gateway.WaitFor("Draining");

        // A new connection is refused while the open streams go on. "Draining" is printed as the stop begins, a
        // moment before the listener closes (seen once under load: the first try still connected), so try a few times.
        var refused = false;
        using (var fresh = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(5) })
        {
            fresh.DefaultRequestHeaders.ConnectionClose = true;
            for (var attempt = 0; attempt < 50 && !refused; attempt++)
            {
                try
                {
                    using var answered = await fresh.GetAsync("/healthz");
                    await Task.Delay(100);
                }
                catch (HttpRequestException)
                {
                    refused = true;
                }
            }
        }

        Assert.True(refused, "new connections were still accepted 5 s after SIGTERM");

        foreach (var (requestId, response, body) in streams)
        {
            using (response)
            {
                var rest = await new StreamReader(body).ReadToEndAsync();
                Assert.Contains("event: message_stop", rest, StringComparison.Ordinal);
                Assert.DoesNotContain("event: error", rest, StringComparison.Ordinal);
                accepted.Add(requestId);
            }
        }

        Assert.Equal(0, await gateway.WaitForExitAsync(TimeSpan.FromSeconds(40)));
        Assert.Contains(gateway.Seen, l => l.Contains("Gateway stopped.", StringComparison.Ordinal) || l.Contains("Draining", StringComparison.Ordinal));
        var stored = await StoredAsync(dir.Path);
        Assert.Equal(accepted.Order(StringComparer.Ordinal), stored.Select(r => r.RequestId).Order(StringComparer.Ordinal));
        Assert.All(stored, r => Assert.Equal(UsageOutcome.Ok, r.Outcome));
    }

    [Fact]
    public async Task Streams_still_open_at_the_drain_deadline_are_cancelled_upstream_and_recorded_once()
    {
        // 5 words per second and 200 words: 40 s of answer, far past a 1-second drain.
        await using var emulator = await ServedGateway.StartEmulatorAsync(tokensPerSecond: 5);
        using var dir = new TempDirectory("cli-gateway-drain-deadline");
        var key = "bsk_alice_deadline_0123456789abcd";
        var config = dir.Write("gateway.yaml", ServedGateway.Config(emulator, drainSeconds: 1));
        await using var gateway = await ServedGateway.StartAsync(config, ServedGateway.Environment(key));
        using var client = gateway.Client(key);
        var (requestId, response, body) = await OpenStreamAsync(client, Words(200));
        var signalled = DateTime.UtcNow;

        gateway.Signal(ServedGateway.Sigterm);
        using (response)
        {
            try
            {
                var rest = await new StreamReader(body).ReadToEndAsync();
                Assert.DoesNotContain("event: message_stop", rest, StringComparison.Ordinal);
            }
            catch (IOException)
            {
                // The connection was aborted at the deadline: the client sees the stream cut.
            }
        }

        Assert.Equal(0, await gateway.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.True(DateTime.UtcNow - signalled < TimeSpan.FromSeconds(20), "the process outlived its 1 s drain by far");
        Assert.Contains(emulator.RequestLog.Snapshot(), e => e.Operation == "InvokeModelWithResponseStream" && e.Outcome == "ClientClosedRequest");
        var record = Assert.Single(await StoredAsync(dir.Path));
        Assert.Equal(requestId, record.RequestId);
        Assert.Equal(UsageOutcome.ClientCancelled, record.Outcome);
    }
}
