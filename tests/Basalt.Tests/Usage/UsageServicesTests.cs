using System.Text.Json;
using Basalt.Bedrock.Models;
using Basalt.Testing;
using Basalt.Usage;
using Basalt.Usage.Budgets;
using Basalt.Usage.Hosting;
using Basalt.Usage.Limits;
using Basalt.Usage.Stores;

namespace Basalt.Tests.Usage;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class UsageServicesTests
{
    [Fact]
    public async Task The_host_bundle_records_durably_enforces_budgets_audits_and_serves_admin_json()
    {
        using var temp = new TempDirectory("usage-services");
        var model = ModelCatalogue.Default.Models.First(m => m.Prices.InputPerMTok is not null && m.Prices.OutputPerMTok is not null);
        var options = new UsageOptions
        {
            StoreTarget = temp.Combine("usage.db"),
            JournalDirectory = temp.Combine("journal"),
            AuditPath = temp.Combine("audit.jsonl"),
            Limits = new UsageLimitsOptions { Budgets = [new BudgetDefinition { Id = "tiny", Scope = UsageDimension.User, ScopeValue = "zoe", Period = BudgetPeriod.Day, LimitUsd = 0.000001m }] },
        };
        var now = DateTimeOffset.UtcNow;
        await using (var usage = await UsageServices.StartAsync(options, ModelCatalogue.Default, CancellationToken.None))
        {
            Assert.Equal((true, (string?)null), usage.Readiness());
            var request = new AdmissionRequest(UsageTestData.Principal("zoe"), "adm-1", model.ClientId, model.ClientId, 100, 100, false);
            var first = await usage.Admission.AdmitAsync(request, CancellationToken.None);
            Assert.True(first.Admitted);
            var metered = UsageTestData.Event("adm-1", "zoe", now, 100, 100, model.ClientId) with { Principal = request.Principal };
            await usage.Sink.RecordAsync(metered, CancellationToken.None);
            await first.Ticket!.CompleteAsync(metered, CancellationToken.None);
            var second = await usage.Admission.AdmitAsync(request with { RequestId = "adm-2" }, CancellationToken.None);
            Assert.Equal("billing_error", second.ErrorType);

            await usage.Sink.FlushAsync(CancellationToken.None);
            using var byUser = JsonDocument.Parse(await usage.Admin.UsageJsonAsync(ReportBy.User, now.AddDays(-1), now.AddHours(1), 50, 0, CancellationToken.None));
            var row = Assert.Single(byUser.RootElement.GetProperty("rows").EnumerateArray());
            Assert.Equal("zoe", row.GetProperty("key").GetString());
            Assert.True(row.GetProperty("cost_usd").GetDecimal() > 0);
        }

        var audit = await File.ReadAllLinesAsync(temp.Combine("audit.jsonl"));
        Assert.Contains(audit, l => l.Contains("\"event\":\"request.refused\"", StringComparison.Ordinal) && l.Contains("\"budget\":\"tiny\"", StringComparison.Ordinal));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(temp.Combine("audit.jsonl")));
    }

    [Fact]
    public async Task A_store_that_is_down_at_start_does_not_stop_the_gateway_and_readiness_says_why()
    {
        using var temp = new TempDirectory("usage-services-down");
        var connection = await PostgresCluster.CreateDatabaseAsync("svc");
        var missing = new Npgsql.NpgsqlConnectionStringBuilder(connection) { Database = "absent_" + Guid.NewGuid().ToString("N")[..8] }.ConnectionString;
        var options = new UsageOptions { StoreKind = "postgresql", StoreTarget = missing, JournalDirectory = temp.Combine("journal"), ShutdownFlushTimeout = TimeSpan.FromMilliseconds(200) };
        await using var usage = await UsageServices.StartAsync(options, ModelCatalogue.Default, CancellationToken.None);
        await usage.Sink.RecordAsync(UsageTestData.Event("svc-1", "yan", DateTimeOffset.UtcNow), CancellationToken.None);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (usage.Readiness().Ready && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        var (ready, reason) = usage.Readiness();
        Assert.False(ready);
        Assert.Contains("usage store (postgresql) unavailable", reason, StringComparison.Ordinal);
        Assert.Contains("nothing is lost", reason, StringComparison.Ordinal);
    }
}
