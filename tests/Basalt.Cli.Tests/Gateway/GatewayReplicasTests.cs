using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Basalt.Emulator;
using Basalt.Testing;
using Xunit.Abstractions;

namespace Basalt.Cli.Tests.Gateway;

/// <summary>
/// Issue 10's replica criterion with real processes: three <c>basalt gateway serve</c> processes share one
/// PostgreSQL (the throwaway cluster scripts/test.sh starts) in front of one emulator. Budgets and rate limits lease
/// from the store (docs/usage.md "Many replicas"), so the bounds hold across processes; after a graceful stop the
/// usage report (<c>basalt usage report</c>, another process) equals what the emulator billed, token for token.
/// </summary>
public sealed class GatewayReplicasTests(ITestOutputHelper output)
{
    private const string Sonnet = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
    private const int Replicas = 3;

    private static string Config(Uri emulator, string dir, int replica) => $$"""
        gateway:
          listen: [ "http://127.0.0.1:0" ]
          upstreams:
            east:
              region: us-east-1
              endpoint: {{emulator.ToString().TrimEnd('/')}}
              credentials: { source: static, accessKeyId: "${env:GW_AKID}", secretAccessKey: "${env:GW_SECRET}" }
              assumeRole: { roleArn: "arn:aws:iam::{{GatewayEmulatorYaml.Account}}:role/BedrockUser", stsEndpoint: {{emulator.ToString().TrimEnd('/')}} }
          models:
            claude-sonnet-4-5: { aliases: [sonnet], routes: [ { upstream: east, model: "{{Sonnet}}" } ] }
          groups:
            engineering: { models: ["*"] }
          apiKeys:
            - { id: alice-laptop, user: alice, groups: [engineering], key: "${env:ALICE_KEY}" }
            - { id: bob-laptop, user: bob, groups: [engineering], key: "${env:BOB_KEY}" }
            - { id: carol-laptop, user: carol, groups: [engineering], key: "${env:CAROL_KEY}" }
          limits: { drainTimeoutSeconds: 10 }
          usage:
            store: { postgresql: "${env:USAGE_PG}" }
            journal: "{{Path.Combine(dir, $"journal-{replica}")}}"
            audit: "{{Path.Combine(dir, $"audit-{replica}.jsonl")}}"
            budgets: [ { id: alice-month, scope: user, value: alice, period: month, usd: 1 } ]
            rateLimits:
              - { scope: user, value: bob, requestsPerMinute: 40 }
              - { scope: user, value: carol, outputTokensPerMinute: 3000 }
        """;

    [Fact]
    public async Task Three_gateway_processes_on_one_PostgreSQL_hold_a_one_dollar_cap_and_rate_limits_and_report_what_the_emulator_billed()
    {
        using var dir = new TempDirectory("cli-gateway-replicas");
        var keyId = "AKIA" + RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 9) + "EXAMPLE";
        var secret = RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 40);
        var options = EmulatorOptions.Parse(GatewayEmulatorYaml.Build(keyId, secret, null, null), "emulator.yaml");
        Assert.False(options.HasErrors, string.Join('\n', options.Diagnostics));
        await using var emulator = await EmulatorServer.StartAsync(options);
        var database = await PostgresCluster.CreateDatabaseAsync("replicas");
        var keys = new Dictionary<string, string>
        {
            ["alice"] = "bsk_alice_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            ["bob"] = "bsk_bob_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            ["carol"] = "bsk_carol_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
        };
        var environment = new Dictionary<string, string>
        {
            ["GW_AKID"] = keyId,
            ["GW_SECRET"] = secret,
            ["USAGE_PG"] = database,
            ["ALICE_KEY"] = keys["alice"],
            ["BOB_KEY"] = keys["bob"],
            ["CAROL_KEY"] = keys["carol"],
        };

        var gateways = new List<ServerProcess>();
        try
        {
            for (var i = 0; i < Replicas; i++)
            {
                var config = dir.Write($"gateway-{i}.yaml", Config(emulator.BaseAddress, dir.Path, i));
                gateways.Add(ServerProcess.StartBasalt(["gateway", "serve", "--config", config], environment));
            }

            var urls = gateways.Select(g => g.WaitForListening("Basalt gateway listening on")).ToList();
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };

            // Spread over the replicas round-robin, a few at a time on each, as a load balancer would.
            async Task<List<(HttpStatusCode Status, string Body)>> BurstAsync(string user, int count, string prompt, int maxTokens)
            {
                var results = new (HttpStatusCode, string)[count];
                await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 3 * Replicas }, async (n, ct) =>
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(urls[n % Replicas], "/v1/messages"))
                    {
                        Content = JsonContent.Create(new { model = "sonnet", max_tokens = maxTokens, messages = new[] { new { role = "user", content = prompt } } }),
                    };
                    request.Headers.TryAddWithoutValidation("x-api-key", keys[user]);
                    request.Headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");
                    using var response = await http.SendAsync(request, ct);
                    results[n] = (response.StatusCode, await response.Content.ReadAsStringAsync(ct));
                });
                return [.. results];
            }

            // alice: ~5,000 input tokens a request ($0.015 at sonnet's $3/MTok) against a $1.00 month cap.
            var big = string.Join(' ', Enumerable.Repeat("budget", 4000));
            var alice = await BurstAsync("alice", 150, big, 50);

            // bob: 40 requests per minute. The burst starts early in a minute so the whole burst is in one window.
            var second = DateTimeOffset.UtcNow.Second;
            if (second > 40)
            {
                await Task.Delay(TimeSpan.FromSeconds(61 - second));
            }

            var bobWindow = DateTimeOffset.UtcNow;
            var bob = await BurstAsync("bob", 120, "hello", 16);
            var bobInOneMinute = DateTimeOffset.UtcNow.Minute == bobWindow.Minute;

            // carol: 3,000 output tokens per minute, 200 a request (the echo reply fills max_tokens).
            second = DateTimeOffset.UtcNow.Second;
            if (second > 40)
            {
                await Task.Delay(TimeSpan.FromSeconds(61 - second));
            }

            var carolWindow = DateTimeOffset.UtcNow;
            var carol = await BurstAsync("carol", 45, string.Join(' ', Enumerable.Repeat("tokens", 600)), 200);
            var carolInOneMinute = DateTimeOffset.UtcNow.Minute == carolWindow.Minute;

            // Graceful stop: each replica drains, flushes its journal into PostgreSQL and returns unused leases.
            foreach (var g in gateways)
            {
                Assert.Equal(0, await g.StopAsync(ServerProcess.Sigterm));
            }

            foreach (var (name, results) in new[] { ("alice", alice), ("bob", bob), ("carol", carol) })
            {
                Assert.All(results, r => Assert.True(r.Status is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"{name}: {(int)r.Status} {r.Body}"));
            }

            var billed = emulator.RequestLog.Snapshot()
                .Where(e => e.Operation == "InvokeModel" && e.Succeeded && e.PrincipalArn is not null)
                .GroupBy(e => e.PrincipalArn![(e.PrincipalArn!.LastIndexOf('/') + 1)..])
                .ToDictionary(g => g.Key, g => (Requests: g.Count(), Input: g.Sum(e => e.InputTokens ?? 0), Output: g.Sum(e => e.OutputTokens ?? 0)));
            foreach (var (name, results) in new[] { ("alice", alice), ("bob", bob), ("carol", carol) })
            {
                Assert.Equal(results.Count(r => r.Status == HttpStatusCode.OK), billed[name].Requests);
            }

            // The report, read by another process from the shared store, equals the upstream's bill token for token.
            var report = await CliRunner.RunAsync(
                ["usage", "report", "--by", "user", "--format", "json", "--from", DateTimeOffset.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "--to", DateTimeOffset.UtcNow.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)],
                environment: new Dictionary<string, string?> { ["BASALT_USAGE_STORE"] = "postgresql:" + database });
            Assert.True(report.ExitCode == 0, report.ToString());
            using var doc = JsonDocument.Parse(report.Stdout);
            var rows = doc.RootElement.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("key").GetString()!);
            foreach (var name in new[] { "alice", "bob", "carol" })
            {
                var totals = rows[name];
                Assert.Equal(billed[name].Input, totals.GetProperty("input_tokens").GetInt64());
                Assert.Equal(billed[name].Output, totals.GetProperty("output_tokens").GetInt64());
            }

            // $1.00 cap: total spend ≤ cap + R × C (C = the largest single request's cost) and the cap was reached
            // (never more than one request's cost unused per replica).
            var oneRequest = 1.0m / 1_000_000 * ((billed["alice"].Input / (decimal)billed["alice"].Requests * 3m) + (50 * 15m));
            var spent = rows["alice"].GetProperty("cost_usd").GetDecimal();
            output.WriteLine(FormattableString.Invariant($"alice: {alice.Count(r => r.Status == HttpStatusCode.OK)} of 150 admitted, spent ${spent} (one request ${oneRequest:F4}); bob: {bob.Count(r => r.Status == HttpStatusCode.OK)} of 120 at 40 rpm (one window {bobInOneMinute}); carol: {billed["carol"].Output} output tokens at 3,000/min (one window {carolInOneMinute}); report = emulator for {rows.Count} users"));
            Assert.True(spent <= 1.00m + (Replicas * oneRequest), $"alice spent ${spent} against a $1.00 cap (bound ${1.00m + (Replicas * oneRequest)})");
            Assert.True(spent >= 1.00m - (Replicas * 2 * oneRequest) - 0.05m, $"alice spent only ${spent} of a $1.00 cap: leases were lost");
            Assert.Contains(alice, r => r.Status == HttpStatusCode.TooManyRequests && r.Body.Contains("billing_error", StringComparison.Ordinal));

            // 40 rpm across three processes: never more than 40 in the window, and the window was used.
            var bobAdmitted = bob.Count(r => r.Status == HttpStatusCode.OK);
            Assert.True(bobInOneMinute ? bobAdmitted is >= 36 and <= 40 : bobAdmitted <= 80, $"bob: {bobAdmitted} of 120 admitted at 40 rpm (one window: {bobInOneMinute})");

            // 3,000 output tokens a minute: at most R requests' worth over the limit.
            var carolOutput = billed["carol"].Output;
            Assert.True(carolInOneMinute ? carolOutput <= 3000 + (Replicas * 200) : carolOutput <= 2 * (3000 + (Replicas * 200)), $"carol: {carolOutput} output tokens in the window");
            Assert.True(carolOutput >= 3000 - (Replicas * 200), $"carol: only {carolOutput} output tokens admitted of 3,000 a minute");
        }
        finally
        {
            foreach (var g in gateways)
            {
                await g.DisposeAsync();
            }
        }
    }
}
