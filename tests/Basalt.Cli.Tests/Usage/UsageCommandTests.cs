using System.Text.Json;
using Basalt.Testing;
using Basalt.Usage;
using Basalt.Usage.Pricing;
using Basalt.Usage.Records;
using Basalt.Usage.Stores;

namespace Basalt.Cli.Tests.Usage;

public sealed class UsageCommandTests
{
    private static readonly DateTimeOffset Day = new(2026, 11, 3, 0, 0, 0, TimeSpan.Zero);

    private static UsageRecord Record(string id, string user, string model, long input, long output, long costNanos, PriceBasis basis = PriceBasis.Catalogue) => new()
    {
        RequestId = id,
        TimestampMs = Day.AddHours(10).ToUnixTimeMilliseconds(),
        UserId = user,
        Groups = [user == "alice" ? "eng" : "sales"],
        KeyId = "key-" + user,
        ModelRequested = model,
        ModelServed = model,
        InputTokens = input,
        OutputTokens = output,
        CostNanos = costNanos,
        PriceBasis = basis,
        Outcome = UsageOutcome.Ok,
        StatusCode = 200,
    };

    private static async Task<string> StoreAsync(TempDirectory temp)
    {
        var path = temp.Combine("usage.db");
        await using var store = await UsageStoreFactory.OpenAndMigrateAsync("sqlite", path, CancellationToken.None);
        await store.WriteAsync(
        [
            Record("1", "alice", "claude-sonnet-5", 1000, 100, 4_500_000),
            Record("2", "alice", "claude-sonnet-5", 2000, 200, 9_000_000),
            Record("3", "bob", "mystery-model", 10, 10, 0, PriceBasis.Unpriced),
        ], CancellationToken.None);
        return path;
    }

    [Fact]
    public async Task Usage_report_by_user_as_csv_sums_tokens_and_cost_from_the_store()
    {
        using var temp = new TempDirectory("cli-usage");
        var path = await StoreAsync(temp);
        var r = await InProcessCli.RunAsync(["usage", "report", "--by", "user", "--from", "2026-11-03", "--to", "2026-11-04", "--format", "csv", "--store", "sqlite:" + path]);
        Assert.True(r.ExitCode == 0, r.ToString());
        var lines = r.Stdout.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("key,requests,input_tokens,output_tokens,cache_read_tokens,cache_write_tokens,cost_usd,estimated,fallback_priced,unpriced,refused,device_reported", lines[0]);
        Assert.Equal("alice,2,3000,300,0,0,0.013500,0,0,0,0,0", lines[1]);
        Assert.Equal("bob,1,10,10,0,0,0.000000,0,0,1,0,0", lines[2]);
    }

    [Fact]
    public async Task Usage_report_without_a_range_includes_a_request_made_a_moment_ago()
    {
        using var temp = new TempDirectory("cli-usage");
        var path = temp.Combine("usage.db");
        await using (var store = await UsageStoreFactory.OpenAndMigrateAsync("sqlite", path, CancellationToken.None))
        {
            await store.WriteAsync([Record("now-1", "carol", "claude-sonnet-5", 10, 20, 1_000) with { TimestampMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }], CancellationToken.None);
        }

        // Reports have hour resolution; a default end of "now" rounded down used to drop the current hour.
        var r = await InProcessCli.RunAsync(["usage", "report", "--format", "csv", "--store", "sqlite:" + path]);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("carol,1,10,20,0,0,", r.Stdout, StringComparison.Ordinal);

        var top = await InProcessCli.RunAsync(["usage", "top", "--format", "csv", "--store", "sqlite:" + path]);
        Assert.True(top.ExitCode == 0, top.ToString());
        Assert.Contains("carol,1,10,20,0,0,", top.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Usage_report_by_model_as_json_and_as_a_table_flags_the_unpriced_model()
    {
        using var temp = new TempDirectory("cli-usage");
        var path = await StoreAsync(temp);
        var json = await InProcessCli.RunAsync(["usage", "report", "--by", "model", "--from", "2026-11-03", "--to", "2026-11-04", "--format", "json", "--store", "sqlite:" + path]);
        Assert.True(json.ExitCode == 0, json.ToString());
        using var doc = JsonDocument.Parse(json.Stdout);
        var rows = doc.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal("claude-sonnet-5", rows[0].GetProperty("key").GetString());
        Assert.Equal(0.0135m, rows[0].GetProperty("cost_usd").GetDecimal());
        Assert.Equal(1, rows[1].GetProperty("unpriced").GetInt32());

        var table = await InProcessCli.RunAsync(["usage", "report", "--by", "model", "--from", "2026-11-03", "--to", "2026-11-04", "--store", "sqlite:" + path]);
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("mystery-model", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("could not be priced", table.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Budgets_set_list_reset_and_delete_round_trip_through_the_store()
    {
        using var temp = new TempDirectory("cli-budgets");
        var path = await StoreAsync(temp);
        var store = "sqlite:" + path;
        var set = await InProcessCli.RunAsync(["budgets", "set", "eng-monthly", "--scope", "group", "--value", "eng", "--period", "month", "--usd", "250", "--time-zone", "Europe/Berlin", "--store", store]);
        Assert.True(set.ExitCode == 0, set.ToString());
        var list = await InProcessCli.RunAsync(["budgets", "list", "--store", store]);
        Assert.Contains("eng-monthly", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("$250.00", list.Stdout, StringComparison.Ordinal);
        Assert.Contains("Europe/Berlin", list.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, (await InProcessCli.RunAsync(["budgets", "reset", "eng-monthly", "--store", store])).ExitCode);
        Assert.Equal(0, (await InProcessCli.RunAsync(["budgets", "delete", "eng-monthly", "--store", store])).ExitCode);
        var missing = await InProcessCli.RunAsync(["budgets", "reset", "eng-monthly", "--store", store]);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no budget 'eng-monthly'", missing.Stderr, StringComparison.Ordinal);

        var bad = await InProcessCli.RunAsync(["budgets", "set", "x", "--scope", "user", "--period", "day", "--usd", "1", "--time-zone", "Mars/Olympus", "--store", store]);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("--time-zone 'Mars/Olympus'", bad.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_store_file_is_a_clear_error_and_migrate_creates_it()
    {
        using var temp = new TempDirectory("cli-usage");
        var path = temp.Combine("new.db");
        var report = await InProcessCli.RunAsync(["usage", "report", "--store", "sqlite:" + path]);
        Assert.Equal(1, report.ExitCode);
        Assert.Contains("does not exist", report.Stderr, StringComparison.Ordinal);

        var migrate = await InProcessCli.RunAsync(["usage", "migrate", "--store", "sqlite:" + path]);
        Assert.True(migrate.ExitCode == 0, migrate.ToString());
        Assert.Matches(@"is at schema version [1-9][0-9]*\b", migrate.Stdout);
        Assert.True(File.Exists(path));
    }
}
