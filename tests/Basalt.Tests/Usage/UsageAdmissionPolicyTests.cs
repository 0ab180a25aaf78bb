using Basalt.Testing;
using Basalt.Usage;
using Basalt.Usage.Audit;
using Basalt.Usage.Budgets;
using Basalt.Usage.Limits;
using Basalt.Usage.Pricing;
using Basalt.Usage.Stores;

namespace Basalt.Tests.Usage;

public sealed class UsageAdmissionPolicyTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 3, 12, 0, 10, TimeSpan.Zero);

    private sealed class Clock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static AdmissionRequest Request(string user, long input = 1000, long maxTokens = 1000, bool streaming = false, string[]? groups = null) =>
        new(UsageTestData.Principal(user, groups ?? ["eng"]), Guid.NewGuid().ToString("N"), "claude-sonnet-5", "claude-sonnet-5", input, maxTokens, streaming);

    private static UsageEvent Metered(AdmissionRequest r, long input, long output) =>
        UsageTestData.Event(r.RequestId, r.Principal.UserId, Noon, input, output) with { Principal = r.Principal };

    [Fact]
    public async Task A_user_over_a_daily_dollar_cap_gets_a_billing_429_naming_budget_usage_and_reset()
    {
        var audit = new StringWriter();
        var options = new UsageLimitsOptions { Budgets = [new BudgetDefinition { Id = "daily-user", Scope = UsageDimension.User, Period = BudgetPeriod.Day, LimitUsd = 0.10m }] };
        await using var policy = UsageAdmissionPolicy.SingleReplica(options, UsageTestData.Pricer(), audit: new AuditLog(audit), time: new Clock(Noon));

        // Each request: estimate 1000 in + 1000 out = $0.018 reserved; metered 1000 in + 400 out = $0.009.
        var admitted = 0;
        AdmissionDecision last;
        while (true)
        {
            var r = Request("alice");
            last = await policy.AdmitAsync(r, CancellationToken.None);
            if (!last.Admitted)
            {
                break;
            }

            admitted++;
            await last.Ticket!.CompleteAsync(Metered(r, 1000, 400), CancellationToken.None);
        }

        // $0.10 / $0.009 = 11.1: the 12th is admitted (spend $0.099 < cap) and the 13th refused at $0.108.
        Assert.Equal(12, admitted);
        Assert.Equal(429, last.StatusCode);
        Assert.Equal("billing_error", last.ErrorType);
        Assert.Contains(new KeyValuePair<string, string>("x-should-retry", "false"), last.Headers);
        Assert.Contains("'daily-user'", last.Message, StringComparison.Ordinal);
        Assert.Contains("$0.108 of $0.10", last.Message, StringComparison.Ordinal);
        Assert.Contains("resets at 2026-11-04T00:00:00Z", last.Message, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromHours(12) - TimeSpan.FromSeconds(10), last.RetryAfter);
        Assert.Contains("\"event\":\"request.refused\"", audit.ToString(), StringComparison.Ordinal);

        // Another user has their own budget.
        Assert.True((await policy.AdmitAsync(Request("bob"), CancellationToken.None)).Admitted);
    }

    [Fact]
    public async Task Crossing_the_soft_threshold_adds_a_warning_header_and_one_audit_event()
    {
        var audit = new StringWriter();
        var options = new UsageLimitsOptions { Budgets = [new BudgetDefinition { Id = "eng-tokens", Scope = UsageDimension.Group, ScopeValue = "eng", Period = BudgetPeriod.Month, LimitTokens = 10_000, SoftPercent = 50 }] };
        await using var policy = UsageAdmissionPolicy.SingleReplica(options, UsageTestData.Pricer(), audit: new AuditLog(audit), time: new Clock(Noon));
        var headers = new List<IReadOnlyList<KeyValuePair<string, string>>>();
        for (var i = 0; i < 4; i++)
        {
            var r = Request("carol", input: 500, maxTokens: 500);
            var d = await policy.AdmitAsync(r, CancellationToken.None);
            Assert.True(d.Admitted);
            headers.Add(d.Headers);
            await d.Ticket!.CompleteAsync(Metered(r, 1000, 500), CancellationToken.None);
        }

        Assert.Empty(headers[0]);
        Assert.Contains(headers[3], h => h.Key == "x-basalt-budget-warning" && h.Value.Contains("eng-tokens", StringComparison.Ordinal) && h.Value.Contains("resets 2026-12-01T00:00:00Z", StringComparison.Ordinal));
        Assert.Equal(1, audit.ToString().Split('\n').Count(l => l.Contains("budget.soft_threshold", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Requests_per_minute_and_concurrent_streams_refuse_with_rate_limit_headers_and_reset_with_the_window()
    {
        var clock = new Clock(Noon);
        var options = new UsageLimitsOptions { RateLimits = [new RateLimitDefinition { Scope = UsageDimension.User, RequestsPerMinute = 5, ConcurrentStreams = 2 }] };
        await using var policy = UsageAdmissionPolicy.SingleReplica(options, UsageTestData.Pricer(), time: clock);

        var s1 = await policy.AdmitAsync(Request("dan", streaming: true), CancellationToken.None);
        var s2 = await policy.AdmitAsync(Request("dan", streaming: true), CancellationToken.None);
        var s3 = await policy.AdmitAsync(Request("dan", streaming: true), CancellationToken.None);
        Assert.True(s1.Admitted && s2.Admitted);
        Assert.False(s3.Admitted);
        Assert.Equal("rate_limit_error", s3.ErrorType);
        Assert.Contains("2 concurrent streams", s3.Message, StringComparison.Ordinal);
        await s1.Ticket!.CompleteAsync(null, CancellationToken.None);

        var ok = 0;
        AdmissionDecision refused = s3;
        for (var i = 0; i < 10; i++)
        {
            var d = await policy.AdmitAsync(Request("dan"), CancellationToken.None);
            if (d.Admitted)
            {
                ok++;
                await d.Ticket!.CompleteAsync(null, CancellationToken.None);
            }
            else
            {
                refused = d;
            }
        }

        Assert.Equal(5 - 2, ok); // two of the five were the admitted streams
        Assert.Equal(429, refused.StatusCode);
        Assert.Contains(new KeyValuePair<string, string>("anthropic-ratelimit-requests-remaining", "0"), refused.Headers);
        Assert.Contains(new KeyValuePair<string, string>("anthropic-ratelimit-requests-limit", "5"), refused.Headers);
        Assert.Equal(TimeSpan.FromSeconds(50), refused.RetryAfter);

        clock.Now = Noon.AddMinutes(1);
        Assert.True((await policy.AdmitAsync(Request("dan"), CancellationToken.None)).Admitted);
    }

    [Fact]
    public async Task A_rate_limit_set_in_the_store_overrides_the_configured_one_at_once_here_and_within_the_refresh_on_another_replica()
    {
        var (store, cleanup) = await UsageStoreFixture.OpenAsync("sqlite");
        using (cleanup)
        await using (store)
        {
            var clock = new Clock(Noon);
            var options = new UsageLimitsOptions
            {
                RateLimits = [new RateLimitDefinition { Scope = UsageDimension.User, ScopeValue = "erin", RequestsPerMinute = 100 }, new RateLimitDefinition { Scope = UsageDimension.User, RequestsPerMinute = 50 }],
                BudgetRefresh = TimeSpan.FromSeconds(5),
            };
            await using var here = UsageAdmissionPolicy.SingleReplica(options, UsageTestData.Pricer(), store, time: clock);
            await using var other = UsageAdmissionPolicy.SingleReplica(options, UsageTestData.Pricer(), store, time: clock);
            Assert.True((await here.AdmitAsync(Request("erin"), CancellationToken.None)).Admitted);
            Assert.True((await other.AdmitAsync(Request("erin"), CancellationToken.None)).Admitted);

            // The dashboard stores user:erin = 2 rpm (replacing the configured 100) and tells its own replica.
            await store.SetRateLimitAsync(new RateLimitDefinition { Scope = UsageDimension.User, ScopeValue = "erin", RequestsPerMinute = 2 }, CancellationToken.None);
            here.InvalidateRateLimits();
            var limits = await here.RateLimitsAsync(CancellationToken.None);
            Assert.Equal(2, limits.Single(l => l.Id == "user:erin").RequestsPerMinute);
            Assert.Equal(50, limits.Single(l => l.Id == "user:*").RequestsPerMinute);
            // What erin used in this minute still counts (one request under the configured limit): one more fits.
            Assert.True((await here.AdmitAsync(Request("erin"), CancellationToken.None)).Admitted);
            var refused = await here.AdmitAsync(Request("erin"), CancellationToken.None);
            Assert.Equal(429, refused.StatusCode);
            Assert.Contains("user erin may use 2 requests per minute", refused.Message, StringComparison.Ordinal);
            Assert.Equal(TimeSpan.FromSeconds(50), refused.RetryAfter);
            Assert.True((await here.AdmitAsync(Request("dan"), CancellationToken.None)).Admitted);

            // The other replica still has the configured limit until its refresh, then the stored one.
            for (var i = 0; i < 3; i++)
            {
                Assert.True((await other.AdmitAsync(Request("erin"), CancellationToken.None)).Admitted);
            }

            clock.Now = Noon.AddSeconds(6);
            Assert.Equal(429, (await other.AdmitAsync(Request("erin"), CancellationToken.None)).StatusCode);

            // Deleted: the configured 100 rpm applies again from the next request.
            Assert.True(await store.DeleteRateLimitAsync("user:erin", CancellationToken.None));
            here.InvalidateRateLimits();
            Assert.True((await here.AdmitAsync(Request("erin"), CancellationToken.None)).Admitted);
            Assert.Equal(100, (await here.RateLimitsAsync(CancellationToken.None)).Single(l => l.Id == "user:erin").RequestsPerMinute);
        }
    }

    [Fact]
    public async Task Output_tokens_per_minute_reserve_max_tokens_and_refund_the_unused_part()
    {
        var options = new UsageLimitsOptions { RateLimits = [new RateLimitDefinition { Scope = UsageDimension.Key, OutputTokensPerMinute = 10_000 }] };
        await using var policy = UsageAdmissionPolicy.SingleReplica(options, UsageTestData.Pricer(), time: new Clock(Noon));
        var a = Request("erin", maxTokens: 8000);
        var da = await policy.AdmitAsync(a, CancellationToken.None);
        Assert.True(da.Admitted);
        // 8000 reserved of 10000: a second 8000 still starts (the last one allowed past the line), a third does not.
        var db = await policy.AdmitAsync(Request("erin", maxTokens: 8000), CancellationToken.None);
        Assert.True(db.Admitted);
        Assert.False((await policy.AdmitAsync(Request("erin", maxTokens: 10), CancellationToken.None)).Admitted);
        await da.Ticket!.CompleteAsync(Metered(a, 10, 100), CancellationToken.None);
        await db.Ticket!.CompleteAsync(Metered(a, 10, 100), CancellationToken.None);
        Assert.True((await policy.AdmitAsync(Request("erin", maxTokens: 10), CancellationToken.None)).Admitted);
    }

    [Fact]
    public async Task A_budget_counts_spend_already_in_the_store_and_a_reset_forgives_it()
    {
        using var temp = new TempDirectory("usage-budget");
        var store = await UsageStoreFactory.OpenAndMigrateAsync("sqlite", temp.Combine("usage.db"), CancellationToken.None);
        await using (store)
        {
            // $0.60 spent earlier today.
            await store.WriteAsync([UsageTestData.Record("old", "frank", Noon.AddHours(-2), 200_000, 0)], CancellationToken.None);
            var budget = new BudgetDefinition { Id = "frank-day", Scope = UsageDimension.User, ScopeValue = "frank", Period = BudgetPeriod.Day, LimitUsd = 0.50m };
            await store.SetBudgetAsync(budget, CancellationToken.None);
            var clock = new Clock(Noon);
            await using var policy = UsageAdmissionPolicy.SingleReplica(new UsageLimitsOptions { BudgetRefresh = TimeSpan.Zero }, UsageTestData.Pricer(), store, time: clock);
            var refused = await policy.AdmitAsync(Request("frank"), CancellationToken.None);
            Assert.False(refused.Admitted);
            Assert.Contains("$0.60 of $0.50", refused.Message, StringComparison.Ordinal);

            await store.SetBudgetAsync(budget with { ResetAt = Noon.AddMinutes(1) }, CancellationToken.None);
            clock.Now = Noon.AddMinutes(2);
            Assert.True((await policy.AdmitAsync(Request("frank"), CancellationToken.None)).Admitted);
        }
    }

    [Fact]
    public async Task When_the_store_is_down_budgets_fail_closed_by_default_and_open_when_configured()
    {
        var connection = await PostgresCluster.CreateDatabaseAsync("down");
        var missing = new Npgsql.NpgsqlConnectionStringBuilder(connection) { Database = "gone_" + Guid.NewGuid().ToString("N")[..8] }.ConnectionString;
        var down = UsageStoreFactory.Open("postgresql", missing);
        await using (down)
        {
            var budgets = new UsageLimitsOptions { Budgets = [new BudgetDefinition { Id = "org", Scope = UsageDimension.Org, Period = BudgetPeriod.Month, LimitUsd = 1000m }] };
            await using var closed = UsageAdmissionPolicy.SingleReplica(budgets, UsageTestData.Pricer(), down, time: new Clock(Noon));
            var d = await closed.AdmitAsync(Request("gina"), CancellationToken.None);
            Assert.False(d.Admitted);
            Assert.Equal(503, d.StatusCode);
            Assert.Contains("usage store is unavailable", d.Message, StringComparison.Ordinal);
            Assert.Contains("gone_", closed.OutageReason, StringComparison.Ordinal);

            await using var open = UsageAdmissionPolicy.SingleReplica(budgets with { FailOpen = true }, UsageTestData.Pricer(), down, time: new Clock(Noon));
            var o = await open.AdmitAsync(Request("gina"), CancellationToken.None);
            Assert.True(o.Admitted);
            Assert.Contains(o.Headers, h => h.Key == "x-basalt-budget-unchecked");
        }
    }

    [Fact]
    public async Task Three_replicas_sharing_PostgreSQL_hold_a_one_dollar_cap_and_an_rpm_limit_within_the_stated_bound()
    {
        var connection = await PostgresCluster.CreateDatabaseAsync("replicas");
        var stores = new List<IUsageStore>();
        var policies = new List<UsageAdmissionPolicy>();
        var options = new UsageLimitsOptions
        {
            Budgets = [new BudgetDefinition { Id = "cap", Scope = UsageDimension.User, Period = BudgetPeriod.Month, LimitUsd = 1.00m }],
            RateLimits = [new RateLimitDefinition { Scope = UsageDimension.User, ScopeValue = "rpm-user", RequestsPerMinute = 40 }],
        };
        for (var i = 0; i < 3; i++)
        {
            var s = await UsageStoreFactory.OpenAndMigrateAsync("postgresql", connection, CancellationToken.None);
            stores.Add(s);
            policies.Add(UsageAdmissionPolicy.Shared(options, UsageTestData.Pricer(), s, time: new Clock(Noon)));
        }

        try
        {
            // Each request costs exactly $0.0105 metered (1000 in, 500 out); worst-case estimate $0.018.
            long spentNanos = 0;
            var admitted = 0;
            await Parallel.ForEachAsync(Enumerable.Range(0, 300), new ParallelOptions { MaxDegreeOfParallelism = 24 }, async (i, ct) =>
            {
                var r = Request("hank");
                var d = await policies[i % 3].AdmitAsync(r, ct);
                if (d.Admitted)
                {
                    Interlocked.Increment(ref admitted);
                    var usage = Metered(r, 1000, 500);
                    Interlocked.Add(ref spentNanos, UsagePricer.ToNanos(UsageTestData.Pricer().Price(usage).Usd));
                    await d.Ticket!.CompleteAsync(usage, ct);
                }
            });

            var cap = 1_000_000_000L;
            var oneRequest = UsagePricer.ToNanos(0.0105m);
            Assert.True(spentNanos <= cap + 3 * oneRequest, $"spent {spentNanos} nanos over cap + 3 requests");
            // Slices (5% of the cap) left on the replicas are under-use, at most one slice each.
            Assert.True(spentNanos >= cap - 3 * (cap / 20) - 3 * UsagePricer.ToNanos(0.018m), $"spent only {spentNanos} nanos");

            var rpmAdmitted = 0;
            await Parallel.ForEachAsync(Enumerable.Range(0, 120), new ParallelOptions { MaxDegreeOfParallelism = 24 }, async (i, ct) =>
            {
                var d = await policies[i % 3].AdmitAsync(Request("rpm-user"), ct);
                if (d.Admitted)
                {
                    Interlocked.Increment(ref rpmAdmitted);
                    await d.Ticket!.CompleteAsync(null, ct);
                }
            });
            Assert.True(rpmAdmitted <= 40, $"{rpmAdmitted} admitted in one minute with rpm 40");
            Assert.True(rpmAdmitted >= 40 - 3 * 2, $"only {rpmAdmitted} admitted");
        }
        finally
        {
            foreach (var p in policies)
            {
                await p.DisposeAsync();
            }

            foreach (var s in stores)
            {
                await s.DisposeAsync();
            }
        }
    }
}
