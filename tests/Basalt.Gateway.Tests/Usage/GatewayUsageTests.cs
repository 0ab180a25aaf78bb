using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Basalt.Bedrock.Models;
using Basalt.Gateway.Tests.TestSupport;
using Basalt.Testing;
using Basalt.Usage.Budgets;
using Basalt.Usage.Hosting;
using Basalt.Usage.Limits;
using Basalt.Usage.Stores;

namespace Basalt.Gateway.Tests.Usage;

/// <summary>Issue 10 through the real gateway (issue 8) in front of the emulated Bedrock: durable usage, reports, budgets.</summary>
public sealed class GatewayUsageTests
{
    private static async Task<JsonElement> AskAsync(HttpClient client, string prompt, HttpStatusCode expect = HttpStatusCode.OK)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = JsonContent.Create(new { model = "sonnet", max_tokens = 64, messages = new[] { new { role = "user", content = prompt } } }),
        };
        request.Headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expect, $"{(int)response.StatusCode}: {text}");
        using var doc = JsonDocument.Parse(text);
        var root = doc.RootElement.Clone();
        if (expect != HttpStatusCode.OK)
        {
            Assert.Equal("false", response.Headers.TryGetValues("x-should-retry", out var v) ? v.Single() : null);
        }

        return root;
    }

    [Fact]
    public async Task Usage_recorded_through_the_gateway_lands_in_the_store_and_the_report_equals_the_emulators_answers_token_for_token()
    {
        using var temp = new TempDirectory("gw-usage");
        await using var usage = await UsageServices.StartAsync(new UsageOptions { StoreTarget = temp.Combine("usage.db"), JournalDirectory = temp.Combine("journal") }, ModelCatalogue.Default, CancellationToken.None);
        await using var host = await GatewayTestHost.StartAsync(new GatewayTestOptions { UsageSink = usage.Sink, Admission = usage.Admission });
        using var client = host.Client(host.AliceKey);
        long input = 0, output = 0;
        for (var i = 0; i < 8; i++)
        {
            var answer = await AskAsync(client, $"Count the tokens of request number {i} {new string('x', i * 40)}");
            input += answer.GetProperty("usage").GetProperty("input_tokens").GetInt64();
            output += answer.GetProperty("usage").GetProperty("output_tokens").GetInt64();
        }

        // The gateway may finish writing the last response before its usage is handed over: wait for all eight.
        var now = DateTimeOffset.UtcNow;
        IReadOnlyList<UsageReportRow> rows = [];
        for (var wait = 0; wait < 100 && rows.Sum(r => r.Totals.Requests) < 8; wait++)
        {
            await Task.Delay(wait == 0 ? 0 : 100);
            await usage.Sink.FlushAsync(CancellationToken.None);
            rows = await usage.Store.ReportAsync(new UsageReportQuery(ReportBy.User, now.AddDays(-1), now.AddHours(1)), CancellationToken.None);
        }

        var alice = Assert.Single(rows);
        Assert.Equal("alice", alice.Key);
        Assert.Equal((8L, input, output), (alice.Totals.Requests, alice.Totals.InputTokens, alice.Totals.OutputTokens));
        var byKey = await usage.Store.ReportAsync(new UsageReportQuery(ReportBy.Key, now.AddDays(-1), now.AddHours(1)), CancellationToken.None);
        Assert.Equal("alice-laptop", Assert.Single(byKey).Key);
    }

    [Fact]
    public async Task A_token_budget_stops_a_user_at_the_gateway_with_a_billing_error_and_the_refusal_is_recorded()
    {
        using var temp = new TempDirectory("gw-budget");
        var limits = new UsageLimitsOptions { Budgets = [new BudgetDefinition { Id = "alice-daily", Scope = UsageDimension.User, ScopeValue = "alice", Period = BudgetPeriod.Day, LimitTokens = 20 }] };
        await using var usage = await UsageServices.StartAsync(new UsageOptions { StoreTarget = temp.Combine("usage.db"), JournalDirectory = temp.Combine("journal"), Limits = limits }, ModelCatalogue.Default, CancellationToken.None);
        await using var host = await GatewayTestHost.StartAsync(new GatewayTestOptions { UsageSink = usage.Sink, Admission = usage.Admission });
        using var alice = host.Client(host.AliceKey);
        // Requests are admitted while use is under the cap (the echo answers cost 10–30 tokens each), then refused.
        long used = 0;
        var admitted = 0;
        while (used < 20)
        {
            var answer = await AskAsync(alice, "Under the cap " + admitted);
            used += answer.GetProperty("usage").GetProperty("input_tokens").GetInt64() + answer.GetProperty("usage").GetProperty("output_tokens").GetInt64();
            admitted++;
        }

        var refused = await AskAsync(alice, "Over the cap", HttpStatusCode.TooManyRequests);
        Assert.True(admitted >= 1);
        Assert.Equal("billing_error", refused.GetProperty("error").GetProperty("type").GetString());
        var message = refused.GetProperty("error").GetProperty("message").GetString()!;
        Assert.Contains("budget 'alice-daily'", message, StringComparison.Ordinal);
        Assert.Contains($"has used {used} tokens of 20 tokens", message, StringComparison.Ordinal);
        Assert.Contains("resets at", message, StringComparison.Ordinal);

        // bob has no budget.
        using var bob = host.Client(host.BobKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = JsonContent.Create(new { model = "haiku", max_tokens = 16, messages = new[] { new { role = "user", content = "hi" } } }) };
        request.Headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");
        using var ok = await bob.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        IReadOnlyList<Basalt.Usage.Records.UsageRecord> refusals = [];
        for (var wait = 0; wait < 100 && refusals.Count == 0; wait++)
        {
            await Task.Delay(wait == 0 ? 0 : 100);
            await usage.Sink.FlushAsync(CancellationToken.None);
            refusals = await usage.Store.RecentAsync(refusedOnly: true, 10, CancellationToken.None);
        }

        Assert.Equal("alice", Assert.Single(refusals).UserId);
    }
}
