using Basalt.Testing;
using Basalt.Usage;
using Basalt.Usage.Budgets;
using Basalt.Usage.Limits;
using Basalt.Usage.Pricing;
using Basalt.Usage.Records;
using Basalt.Usage.Stores;

namespace Basalt.Tests.Usage;

/// <summary>One test class, both stores (issue 10 item 4: "the same tests run against both stores").</summary>
public sealed class UsageStoreTests
{
    public static TheoryData<string> Kinds => new() { "sqlite", "postgresql" };

    private static readonly DateTimeOffset Day = new(2026, 11, 3, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Migrating_twice_is_a_no_op_and_reports_the_latest_version(string kind)
    {
        var (store, cleanup) = await UsageStoreFixture.OpenAsync(kind);
        using (cleanup)
        await using (store)
        {
            Assert.Equal(10, await store.MigrateAsync(CancellationToken.None));
            Assert.Equal(10, await store.MigrateAsync(CancellationToken.None));
            await store.PingAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task PostgreSQL_rollup_pages_keep_room_for_heap_only_updates_and_the_records_staging_table_stays_private()
    {
        var (store, cleanup) = await UsageStoreFixture.OpenAsync("postgresql");
        using (cleanup)
        await using (store)
        {
            var pg = (PostgresUsageStore)store;
            await using (var cmd = pg.DataSource.CreateCommand("SELECT array_to_string(reloptions, ',') FROM pg_class WHERE relname = 'usage_rollups'"))
            {
                Assert.Equal("fillfactor=70", await cmd.ExecuteScalarAsync());
            }

            // Two batches on the pooled connection (the staging table is made again after the pool's reset), then no
            // table of that name outside a session: nothing is left behind in the schema.
            Assert.Equal(1, await store.WriteAsync([UsageTestData.Record("s-1", "alice", Day.AddHours(1))], CancellationToken.None));
            Assert.Equal(1, await store.WriteAsync([UsageTestData.Record("s-2", "alice", Day.AddHours(2)), UsageTestData.Record("s-1", "alice", Day.AddHours(1))], CancellationToken.None));
            await using (var cmd = pg.DataSource.CreateCommand("SELECT COUNT(*) FROM pg_tables WHERE tablename = 'usage_records_stage' AND schemaname = 'public'"))
            {
                Assert.Equal(0L, await cmd.ExecuteScalarAsync());
            }

            Assert.Equal(2, await store.CountRecordsAsync(CancellationToken.None));
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Writing_a_request_id_twice_stores_and_counts_it_once(string kind)
    {
        var (store, cleanup) = await UsageStoreFixture.OpenAsync(kind);
        using (cleanup)
        await using (store)
        {
            var a = UsageTestData.Record("req-1", "alice", Day.AddHours(9));
            var b = UsageTestData.Record("req-2", "alice", Day.AddHours(9));
            Assert.Equal(2, await store.WriteAsync([a, b], CancellationToken.None));
            Assert.Equal(0, await store.WriteAsync([a, b], CancellationToken.None));
            Assert.Equal(1, await store.WriteAsync([a, UsageTestData.Record("req-3", "bob", Day.AddHours(10))], CancellationToken.None));

            Assert.Equal(3, await store.CountRecordsAsync(CancellationToken.None));
            var byUser = await store.ReportAsync(new UsageReportQuery(ReportBy.User, Day, Day.AddDays(1)), CancellationToken.None);
            Assert.Equal(2, byUser.Single(r => r.Key == "alice").Totals.Requests);
            Assert.Equal(1, byUser.Single(r => r.Key == "bob").Totals.Requests);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Reports_by_every_dimension_sum_tokens_and_decimal_cost_exactly(string kind)
    {
        var (store, cleanup) = await UsageStoreFixture.OpenAsync(kind);
        using (cleanup)
        await using (store)
        {
            var records = new List<UsageRecord>
            {
                UsageTestData.Record("r1", "alice", Day.AddHours(1), 1000, 100, groups: ["eng", "ops"]),
                UsageTestData.Record("r2", "alice", Day.AddDays(1).AddHours(2), 2000, 200, groups: ["eng", "ops"]),
                UsageTestData.Record("r3", "bob", Day.AddHours(23), 3000, 300, groups: ["sales"]),
                UsageTestData.Record("r4", "bob", Day.AddHours(23), 10, 10, model: "mystery-model", groups: ["sales"]),
            };
            await store.WriteAsync(records, CancellationToken.None);
            var from = Day;
            var to = Day.AddDays(2);

            var users = await store.ReportAsync(new UsageReportQuery(ReportBy.User, from, to), CancellationToken.None);
            var alice = users.Single(r => r.Key == "alice").Totals;
            Assert.Equal(3000, alice.InputTokens);
            Assert.Equal(300, alice.OutputTokens);
            // 3000 × $3/MTok + 300 × $15/MTok = $0.009 + $0.0045
            Assert.Equal(0.0135m, alice.CostUsd);

            var groups = await store.ReportAsync(new UsageReportQuery(ReportBy.Group, from, to), CancellationToken.None);
            Assert.Equal(["eng", "ops", "sales"], groups.Select(g => g.Key).Order().ToArray());
            Assert.Equal(2, groups.Single(g => g.Key == "ops").Totals.Requests);

            var models = await store.ReportAsync(new UsageReportQuery(ReportBy.Model, from, to), CancellationToken.None);
            var mystery = models.Single(m => m.Key == "mystery-model").Totals;
            Assert.Equal(1, mystery.UnpricedRequests);
            Assert.Equal(0, mystery.CostNanos);

            var keys = await store.ReportAsync(new UsageReportQuery(ReportBy.Key, from, to), CancellationToken.None);
            Assert.Equal(2, keys.Single(k => k.Key == "key-bob").Totals.Requests);

            var days = await store.ReportAsync(new UsageReportQuery(ReportBy.Day, from, to), CancellationToken.None);
            Assert.Equal(["2026-11-03", "2026-11-04"], days.Select(d => d.Key).Order().ToArray());
            Assert.Equal(3, days.Single(d => d.Key == "2026-11-03").Totals.Requests);
            Assert.Equal(records.Sum(r => r.CostNanos), days.Sum(d => d.Totals.CostNanos));
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Report_ranges_that_cut_days_use_hour_rollups_at_the_edges(string kind)
    {
        var (store, cleanup) = await UsageStoreFixture.OpenAsync(kind);
        using (cleanup)
        await using (store)
        {
            await store.WriteAsync(
            [
                UsageTestData.Record("e1", "alice", Day.AddHours(5)),
                UsageTestData.Record("e2", "alice", Day.AddHours(15)),
                UsageTestData.Record("e3", "alice", Day.AddDays(1).AddHours(12)),
                UsageTestData.Record("e4", "alice", Day.AddDays(2).AddHours(3)),
            ], CancellationToken.None);
            var rows = await store.ReportAsync(new UsageReportQuery(ReportBy.User, Day.AddHours(10), Day.AddDays(2).AddHours(4)), CancellationToken.None);
            Assert.Equal(3, rows.Single().Totals.Requests);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Totals_for_a_window_starting_mid_hour_include_raw_records_of_the_partial_hour(string kind)
    {
        var (store, cleanup) = await UsageStoreFixture.OpenAsync(kind);
        using (cleanup)
        await using (store)
        {
            await store.WriteAsync(
            [
                UsageTestData.Record("t1", "alice", Day.AddHours(18).AddMinutes(10)),
                UsageTestData.Record("t2", "alice", Day.AddHours(18).AddMinutes(40)),
                UsageTestData.Record("t3", "alice", Day.AddHours(20)),
                UsageTestData.Record("t4", "bob", Day.AddHours(20), groups: ["sales"]),
            ], CancellationToken.None);
            // A +05:30 time zone's day starts at 18:30 UTC.
            var start = Day.AddHours(18).AddMinutes(30);
            var end = Day.AddDays(1);
            Assert.Equal(2, (await store.TotalsAsync(UsageDimension.User, "alice", start, end, CancellationToken.None)).Requests);
            Assert.Equal(2, (await store.TotalsAsync(UsageDimension.Group, "eng", start, end, CancellationToken.None)).Requests);
            Assert.Equal(3, (await store.TotalsAsync(UsageDimension.Org, "*", start, end, CancellationToken.None)).Requests);
            Assert.Equal(1, (await store.TotalsAsync(UsageDimension.Key, "key-bob", start, end, CancellationToken.None)).Requests);
            Assert.Equal(1, (await store.TotalsAsync(UsageDimension.User, "alice", Day.AddHours(18).AddMinutes(20), Day.AddHours(18).AddMinutes(50), CancellationToken.None)).Requests);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Retention_prunes_raw_records_and_keeps_rollups(string kind)
    {
        var (store, cleanup) = await UsageStoreFixture.OpenAsync(kind);
        using (cleanup)
        await using (store)
        {
            await store.WriteAsync([UsageTestData.Record("old", "alice", Day), UsageTestData.Record("new", "alice", Day.AddDays(40))], CancellationToken.None);
            Assert.Equal(1, await store.PruneAsync(Day.AddDays(30), CancellationToken.None));
            Assert.Equal(1, await store.CountRecordsAsync(CancellationToken.None));
            var rows = await store.ReportAsync(new UsageReportQuery(ReportBy.User, Day, Day.AddDays(41)), CancellationToken.None);
            Assert.Equal(2, rows.Single().Totals.Requests);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Recent_refusals_and_budgets_round_trip(string kind)
    {
        var (store, cleanup) = await UsageStoreFixture.OpenAsync(kind);
        using (cleanup)
        await using (store)
        {
            var refused = UsageTestData.Record("x1", "alice", Day) with { Outcome = UsageOutcome.RefusedByPolicy, StatusCode = 429, ErrorType = "billing_error", InputTokens = 0, OutputTokens = 0, CostNanos = 0 };
            await store.WriteAsync([refused, UsageTestData.Record("x2", "alice", Day.AddMinutes(1))], CancellationToken.None);
            var recent = await store.RecentAsync(refusedOnly: true, 10, CancellationToken.None);
            Assert.Equal("x1", Assert.Single(recent).RequestId);
            Assert.Equal(refused, recent[0] with { Groups = refused.Groups });
            Assert.Equal(["eng"], recent[0].Groups);

            var budget = new BudgetDefinition { Id = "eng-monthly", Scope = UsageDimension.Group, ScopeValue = "eng", Period = BudgetPeriod.Month, LimitUsd = 1000.25m, SoftPercent = 75, TimeZone = "Europe/Berlin" };
            await store.SetBudgetAsync(budget, CancellationToken.None);
            await store.SetBudgetAsync(budget with { LimitTokens = 5_000_000 }, CancellationToken.None);
            Assert.Equal(budget with { LimitTokens = 5_000_000 }, Assert.Single(await store.ListBudgetsAsync(CancellationToken.None)));
            Assert.True(await store.DeleteBudgetAsync("eng-monthly", CancellationToken.None));
            Assert.Empty(await store.ListBudgetsAsync(CancellationToken.None));
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Records_stored_before_version_4_get_their_member_rollups_and_error_counts_backfilled_idempotently(string kind)
    {
        using var temp = new TempDirectory("usage-backfill");
        var oldTarget = kind == "sqlite" ? temp.Combine("old.db") : await PostgresCluster.CreateDatabaseAsync("usage");
        var freshTarget = kind == "sqlite" ? temp.Combine("fresh.db") : await PostgresCluster.CreateDatabaseAsync("usage");

        // Three days of two people, errors and refusals among them; version 4 is applied in the middle of day 3.
        var records = new List<UsageRecord>();
        for (var h = 0; h < 66; h++)
        {
            var at = Day.AddHours(h).AddMinutes(h % 50);
            records.Add(UsageTestData.Record($"a{h:D3}", "alice", at, groups: ["eng"]));
            records.Add(UsageTestData.Record($"c{h:D3}", "carl", at.AddMinutes(3), groups: ["eng", "ops"]) with
            {
                Outcome = h % 3 == 0 ? UsageOutcome.UpstreamError : h % 3 == 1 ? UsageOutcome.RefusedByPolicy : UsageOutcome.Ok,
                StatusCode = h % 3 == 0 ? 529 : h % 3 == 1 ? 429 : 200,
            });
        }

        var cutoff = Day.AddHours(60);
        var before = records.Where(r => r.TimestampMs < cutoff.ToUnixTimeMilliseconds()).ToList();
        var after = records.Except(before).ToList();

        await using var old = (SqlUsageStore)UsageStoreFactory.Open(kind, oldTarget);
        Assert.Equal(4, await old.MigrateAsync(4, CancellationToken.None));
        await old.WriteAsync(before, CancellationToken.None);

        // What a store written before version 4 holds after migrating to it: no member rollups, error counts 0.
        await old.ExecuteStatementAsync("DELETE FROM usage_rollups WHERE dim = 'member'", CancellationToken.None);
        await old.ExecuteStatementAsync("UPDATE usage_rollups SET errors = 0", CancellationToken.None);
        await old.ExecuteStatementAsync($"UPDATE usage_schema_version SET applied_at_ms = {cutoff.ToUnixTimeMilliseconds()} WHERE version = 4", CancellationToken.None);
        await old.WriteAsync(after, CancellationToken.None); // the version 4 writer, after the migration

        await using var fresh = (SqlUsageStore)await UsageStoreFactory.OpenAndMigrateAsync(kind, freshTarget, CancellationToken.None);
        await fresh.WriteAsync(records, CancellationToken.None);
        var expected = await fresh.RollupRowsAsync(CancellationToken.None);
        Assert.NotEqual(expected, await old.RollupRowsAsync(CancellationToken.None));

        // Migrating to the latest version backfills, reading raw records in batches of 7. Version 8 puts its fold
        // watermark at the start of the last day with records, where the fresh store's writer folded to (by its newest
        // record): both hold the same.
        old.BackfillBatch = 7;
        Assert.Equal(10, await old.MigrateAsync(CancellationToken.None));
        Assert.False(await old.CompactAsync(records.Max(r => r.TimestampMs) / 1000, CancellationToken.None));
        Assert.Equal(await fresh.DayWatermarkAsync(CancellationToken.None), await old.DayWatermarkAsync(CancellationToken.None));
        Assert.Equal(expected, await old.RollupRowsAsync(CancellationToken.None));
        Assert.Equal(0, await old.BackfillAsync(CancellationToken.None));

        // Run again from the start (a crash before the progress was saved, or a second replica), now with the
        // watermark at the last day's start: nothing changes.
        await old.ExecuteStatementAsync("UPDATE usage_backfill SET next_day = 0", CancellationToken.None);
        Assert.Equal(3, await old.BackfillAsync(CancellationToken.None));
        Assert.Equal(expected, await old.RollupRowsAsync(CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Rate_limits_set_at_run_time_round_trip_one_per_scope_and_value(string kind)
    {
        var (store, cleanup) = await UsageStoreFixture.OpenAsync(kind);
        using (cleanup)
        await using (store)
        {
            Assert.Empty(await store.ListRateLimitsAsync(CancellationToken.None));
            var bob = new RateLimitDefinition { Scope = UsageDimension.User, ScopeValue = "bob", RequestsPerMinute = 2 };
            var org = new RateLimitDefinition { Scope = UsageDimension.Org, InputTokensPerMinute = 1_000_000, OutputTokensPerMinute = 50_000, ConcurrentStreams = 40 };
            await store.SetRateLimitAsync(bob, CancellationToken.None);
            await store.SetRateLimitAsync(org, CancellationToken.None);

            // Setting the same scope and value again replaces it (the id is scope:value).
            await store.SetRateLimitAsync(bob with { RequestsPerMinute = 3, ConcurrentStreams = 1 }, CancellationToken.None);
            var listed = await store.ListRateLimitsAsync(CancellationToken.None);
            Assert.Equal([org, bob with { RequestsPerMinute = 3, ConcurrentStreams = 1 }], listed);
            Assert.Equal(["org:*", "user:bob"], listed.Select(l => l.Id));

            Assert.True(await store.DeleteRateLimitAsync("user:bob", CancellationToken.None));
            Assert.False(await store.DeleteRateLimitAsync("user:bob", CancellationToken.None));
            Assert.Equal([org], await store.ListRateLimitsAsync(CancellationToken.None));
        }
    }

    [Fact]
    public void Prices_come_from_the_model_catalogue_by_any_id_it_resolves_and_unknown_prices_are_flagged_not_guessed()
    {
        var catalogue = Basalt.Bedrock.Models.ModelCatalogue.Default;
        var priced = catalogue.Models.First(m => m.Prices.InputPerMTok is not null && m.Prices.OutputPerMTok is not null && m.FoundationModelId is not null);
        var pricer = UsagePricer.FromCatalogue(catalogue);
        var expected = (1_000_000 * priced.Prices.InputPerMTok!.Value + 1_000_000 * priced.Prices.OutputPerMTok!.Value) / 1_000_000;
        Assert.Equal((expected, PriceBasis.Catalogue), pricer.Price(priced.FoundationModelId, priced.ClientId, 1_000_000, 1_000_000, 0, 0, 0));

        var unpriced = catalogue.Models.FirstOrDefault(m => m.Prices.InputPerMTok is null);
        if (unpriced is not null)
        {
            Assert.Equal(PriceBasis.Unpriced, pricer.Price(unpriced.ClientId, unpriced.ClientId, 10, 10, 0, 0, 0).Basis);
            var overridden = UsagePricer.FromCatalogue(catalogue, new Dictionary<string, TokenPrices> { [unpriced.ClientId] = new(1m, 5m, null, null, null, "config") });
            Assert.Equal((0.000006m, PriceBasis.Override), overridden.Price(unpriced.ClientId, unpriced.ClientId, 1, 1, 0, 0, 0));
        }
    }

    [Fact]
    public void Pricing_is_decimal_and_flags_unknown_models()
    {
        var pricer = new UsagePricer(
            id => id == "claude-sonnet-5" ? UsageTestData.Sonnet : null,
            new Dictionary<string, TokenPrices>(StringComparer.OrdinalIgnoreCase) { ["claude-haiku-9"] = new(1m, 5m, null, null, null, "config") },
            new TokenPrices(10m, 50m, null, null, null, "fallback"));
        Assert.Equal((0.000003m * 1_000_000 + 0.000015m * 10 + 0.0000003m * 7 + 0.00000375m * 11 + 0.000006m * 13, PriceBasis.Catalogue),
            pricer.Price("claude-sonnet-5", "sonnet", 1_000_000, 10, 7, 11, 13));
        Assert.Equal(PriceBasis.Override, pricer.Price("claude-haiku-9", "claude-haiku-9", 1, 1, 0, 0, 0).Basis);
        Assert.Equal((0.00006m, PriceBasis.Fallback), pricer.Price(null, "who-knows", 1, 1, 0, 0, 0));
        Assert.Equal((0m, PriceBasis.Unpriced), UsagePricer.WithoutCatalogue().Price(null, "who-knows", 5, 5, 0, 0, 0));
        Assert.Equal(1, UsagePricer.ToNanos(0.0000000001m));
        Assert.Equal(3_000_000_000, UsagePricer.ToNanos(3m));
    }
}
