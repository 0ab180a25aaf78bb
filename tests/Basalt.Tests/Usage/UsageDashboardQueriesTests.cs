using Basalt.Usage;
using Basalt.Usage.Reports;
using Basalt.Usage.Stores;

namespace Basalt.Tests.Usage;

/// <summary>The dashboard's reads (issue 11 item 4) on both stores: rollups only, team scoping in the query, problems, audit.</summary>
public sealed class UsageDashboardQueriesTests
{
    public static TheoryData<string> Kinds => new() { "sqlite", "postgresql" };

    private static readonly DateTimeOffset Day = new(2026, 11, 10, 0, 0, 0, TimeSpan.Zero);

    private static async Task SeedAsync(IUsageStore store)
    {
        var records = new List<Basalt.Usage.Records.UsageRecord>();
        for (var h = 0; h < 48; h++)
        {
            records.Add(UsageTestData.Record($"a{h}", "alice", Day.AddHours(h).AddMinutes(5), groups: ["eng"]));
            records.Add(UsageTestData.Record($"b{h}", "bob", Day.AddHours(h).AddMinutes(7), input: 10, output: 5, model: "claude-haiku-5", groups: ["ops"]));
            records.Add(UsageTestData.Record($"c{h}", "carl", Day.AddHours(h).AddMinutes(9), groups: ["eng", "ops"]) with
            {
                Outcome = h % 4 == 0 ? UsageOutcome.RefusedByPolicy : h % 4 == 1 ? UsageOutcome.UpstreamError : UsageOutcome.Ok,
                StatusCode = h % 4 == 0 ? 429 : h % 4 == 1 ? 529 : 200,
                ErrorType = h % 4 == 0 ? "billing_error" : h % 4 == 1 ? "overloaded_error" : null,
                Upstream = "east",
                DurationMs = 100 + h,
            });
        }

        await store.WriteAsync(records, CancellationToken.None);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Grouped_rollups_add_up_to_the_records_and_page_with_a_total(string kind)
    {
        var (store, cleanup) = await UsageStoreFixture.OpenAsync(kind);
        using (cleanup)
        await using (store)
        {
            await SeedAsync(store);
            var q = new UsageDashboardQueries(store);

            // 11:00 on day one to 13:00 on day two: partial days from hour rollups, nothing double counted.
            var from = Day.AddHours(11);
            var to = Day.AddHours(37);
            var users = await q.RollupAsync(new DashboardRollupQuery { Dimension = RollupDimension.User, From = from, To = to, Sort = "key", Descending = false }, CancellationToken.None);
            Assert.Equal(3, users.Total);
            Assert.Equal(["alice", "bob", "carl"], users.Items.Select(r => r.Key));
            Assert.All(users.Items, r => Assert.Equal(26, r.Totals.Requests));
            var carl = users.Items[2].Totals;
            Assert.Equal(7, carl.RefusedRequests);
            Assert.Equal(6, carl.ErrorRequests);

            var page = await q.RollupAsync(new DashboardRollupQuery { Dimension = RollupDimension.User, From = from, To = to, Sort = "tokens", Limit = 1, Offset = 1 }, CancellationToken.None);
            Assert.Equal(3, page.Total);
            Assert.Single(page.Items);
            var past = await q.RollupAsync(new DashboardRollupQuery { Dimension = RollupDimension.User, From = from, To = to, Limit = 5, Offset = 10 }, CancellationToken.None);
            Assert.Empty(past.Items);
            Assert.Equal(3, past.Total);

            var hours = await q.RollupAsync(new DashboardRollupQuery { Dimension = RollupDimension.Org, From = Day, To = Day.AddDays(2), GroupBy = RollupGrouping.Bucket, HourBuckets = true, Sort = "key", Descending = false, Limit = 100 }, CancellationToken.None);
            Assert.Equal(48, hours.Items.Count);
            Assert.All(hours.Items, r => Assert.Equal(3, r.Totals.Requests));
            var days = await q.RollupAsync(new DashboardRollupQuery { Dimension = RollupDimension.Org, From = Day, To = Day.AddDays(2), GroupBy = RollupGrouping.Bucket, Sort = "key", Descending = false }, CancellationToken.None);
            Assert.Equal([Day.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), Day.AddDays(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)], days.Items.Select(r => r.Key));
            var models = await q.RollupAsync(new DashboardRollupQuery { Dimension = RollupDimension.Group, Values = ["ops"], From = Day, To = Day.AddDays(2), GroupBy = RollupGrouping.Model, Sort = "key", Descending = false }, CancellationToken.None);
            Assert.Equal(["claude-haiku-5", "claude-sonnet-5"], models.Items.Select(r => r.Key));
            await Assert.ThrowsAsync<ArgumentException>(() => q.RollupAsync(new DashboardRollupQuery { Dimension = RollupDimension.User, From = from, To = to, Sort = "cost_nanos; DROP TABLE usage_rollups" }, CancellationToken.None));
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_team_leads_people_come_from_member_rollups_of_their_team_only(string kind)
    {
        var (store, cleanup) = await UsageStoreFixture.OpenAsync(kind);
        using (cleanup)
        await using (store)
        {
            await SeedAsync(store);
            var q = new UsageDashboardQueries(store);
            var eng = await q.RollupAsync(new DashboardRollupQuery { Dimension = RollupDimension.Member, Prefixes = ["eng|"], From = Day, To = Day.AddDays(2), Sort = "key", Descending = false }, CancellationToken.None);
            Assert.Equal(["eng|alice", "eng|carl"], eng.Items.Select(r => r.Key));
            Assert.True(await q.IsMemberOfAsync("carl", ["eng"], CancellationToken.None));
            Assert.False(await q.IsMemberOfAsync("bob", ["eng"], CancellationToken.None));
            Assert.Equal(2, await q.GroupUserCountAsync("ops", Day, Day.AddDays(2), CancellationToken.None));

            var problems = await q.ProblemsAsync(new ProblemQuery { From = Day, To = Day.AddDays(2), Teams = ["ops"], Limit = 5 }, CancellationToken.None);
            Assert.Equal(24, problems.Total);
            Assert.Equal(5, problems.Items.Count);
            Assert.True(problems.Items.Zip(problems.Items.Skip(1)).All(p => p.First.TimestampMs >= p.Second.TimestampMs));
            var refused = await q.ProblemsAsync(new ProblemQuery { From = Day, To = Day.AddDays(2), Outcomes = [UsageOutcome.RefusedByPolicy], Reason = "billing_error", Group = "eng" }, CancellationToken.None);
            Assert.Equal(12, refused.Total);
            Assert.All(refused.Items, r => Assert.Equal("carl", r.UserId));
            Assert.Equal(0, (await q.ProblemsAsync(new ProblemQuery { From = Day, To = Day.AddDays(2), Teams = [] }, CancellationToken.None)).Total);
            var reasons = await q.ProblemReasonsAsync(Day, Day.AddDays(2), null, CancellationToken.None);
            Assert.Contains(reasons, r => r.Outcome == "UpstreamError" && r.Reason == "overloaded_error" && r.Count == 12);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task One_persons_refusals_over_a_range_are_read_through_the_per_user_problems_index_not_every_problem_row(string kind)
    {
        var (store, cleanup) = await UsageStoreFixture.OpenAsync(kind);
        using (cleanup)
        await using (store)
        {
            await SeedAsync(store);
            var q = new UsageDashboardQueries(store);
            var query = new ProblemQuery { From = Day, To = Day.AddDays(30), User = "carl", Outcomes = [UsageOutcome.RefusedByPolicy] };
            Assert.Equal(12, (await q.ProblemsAsync(query, CancellationToken.None)).Total);
            Assert.Equal(0, (await q.ProblemsAsync(query with { User = "alice" }, CancellationToken.None)).Total);

            // Schema 6's partial (user_id, ts_ms) index serves it: one person's rows, not the range's problem rows.
            var plan = await q.ProblemsPlanAsync(query, CancellationToken.None);
            Assert.Contains("usage_records_problems_user", plan, StringComparison.Ordinal);
            Assert.Contains("usage_records_problems_user", await q.ProblemsPlanAsync(query with { Outcomes = null }, CancellationToken.None), StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Audit_entries_are_stored_for_every_replica_and_read_back_newest_first(string kind)
    {
        var (store, cleanup) = await UsageStoreFixture.OpenAsync(kind);
        using (cleanup)
        await using (store)
        {
            var q = new UsageDashboardQueries(store);
            await q.WriteAuditAsync(Day.AddMinutes(1), "budget.set", "root", "eng-month", "{\"limitUsd\":100}", CancellationToken.None);
            await q.WriteAuditAsync(Day.AddMinutes(2), "key.revoke", "root", "k1", "{}", CancellationToken.None);
            var page = await q.AuditAsync(new AuditQuery { From = Day, To = Day.AddDays(1) }, CancellationToken.None);
            Assert.Equal(["key.revoke", "budget.set"], page.Items.Select(a => a.Event));
            Assert.Equal("{\"limitUsd\":100}", page.Items[1].DetailsJson);
            Assert.Equal(1, (await q.AuditAsync(new AuditQuery { From = Day, To = Day.AddDays(1), Event = "budget.set" }, CancellationToken.None)).Total);
            Assert.Equal(["budget.set", "key.revoke"], await q.AuditEventsAsync(CancellationToken.None));
        }
    }
}
