using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Basalt.Gateway.Tests.Usage;

namespace Basalt.Gateway.Tests.Dashboard;

/// <summary>
/// The admin dashboard's server side (issue 11 item 1) through the real gateway: sign-in at oidc-provider, the
/// sealed session, CSRF, roles checked on the server, a team lead's reach, budgets and keys changed through the
/// API taking effect on the next request, CSV export and the audit trail.
/// </summary>
[Collection(DashboardTestGroup.Name)]
public sealed class DashboardApiTests(DashboardFixture fixture)
{
    private DashboardTestHost Dash => fixture.Host;

    [Fact]
    public async Task Signing_in_at_oidc_provider_with_PKCE_state_and_nonce_gives_a_sealed_HttpOnly_session_whose_role_comes_from_the_IdP_groups()
    {
        using var root = new DashboardBrowser(new Uri(Dash.BaseUrl + "/"));
        using var callback = await root.SignInAsync("root");
        Assert.Equal(HttpStatusCode.SeeOther, callback.StatusCode);
        Assert.Equal("/admin/", callback.Headers.Location!.OriginalString);
        var cookie = Assert.Single(callback.Headers.GetValues("set-cookie"), c => c.StartsWith("basalt_admin=", StringComparison.Ordinal));
        Assert.Contains("HttpOnly", cookie, StringComparison.Ordinal);
        Assert.Contains("SameSite=Strict", cookie, StringComparison.Ordinal);
        Assert.Contains("Path=/admin", cookie, StringComparison.Ordinal);
        Assert.DoesNotContain("root", cookie, StringComparison.Ordinal);

        var authorize = root.Visited.First(u => u.AbsoluteUri.StartsWith(Dash.Idp.Issuer, StringComparison.Ordinal));
        var query = System.Web.HttpUtility.ParseQueryString(authorize.Query);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.False(string.IsNullOrEmpty(query["state"]));
        Assert.False(string.IsNullOrEmpty(query["nonce"]));
        Assert.Equal($"{Dash.BaseUrl}/admin/auth/callback", query["redirect_uri"]);

        var session = await root.RefreshSessionAsync();
        Assert.Equal("admin", session.GetProperty("role").GetString());
        Assert.Equal("root", session.GetProperty("user").GetProperty("id").GetString());
        Assert.Equal("Root Admin", session.GetProperty("user").GetProperty("name").GetString());
        Assert.True(session.GetProperty("canWrite").GetBoolean());

        using var carol = await Dash.SignInAsync("carol");
        Assert.Equal("viewer", (await carol.RefreshSessionAsync()).GetProperty("role").GetString());
        using var dave = await Dash.SignInAsync("dave");
        var lead = await dave.RefreshSessionAsync();
        Assert.Equal("team-lead", lead.GetProperty("role").GetString());
        Assert.Equal(["engineering"], lead.GetProperty("teams").EnumerateArray().Select(t => t.GetString()));
        Assert.False(lead.GetProperty("canWrite").GetBoolean());
    }

    [Fact]
    public async Task A_person_in_no_dashboard_group_is_refused_at_the_callback_and_gets_no_session()
    {
        using var alice = new DashboardBrowser(new Uri(Dash.BaseUrl + "/"));
        using var response = await alice.SignInAsync("alice");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("none of your groups (engineering) may use the dashboard", page, StringComparison.Ordinal);
        Assert.DoesNotContain(response.Headers.TryGetValues("set-cookie", out var set) ? set : [], c => c.StartsWith("basalt_admin=", StringComparison.Ordinal));
        using var api = await alice.GetAsync("/admin/api/overview");
        var error = await DashboardTestHost.JsonAsync(api, HttpStatusCode.Unauthorized);
        Assert.Equal("unauthenticated", error.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("/admin/auth/login", error.GetProperty("error").GetProperty("signInUrl").GetString());
    }

    [Fact]
    public async Task A_callback_whose_state_does_not_match_the_browsers_sign_in_is_refused()
    {
        using var browser = new DashboardBrowser(new Uri(Dash.BaseUrl + "/"));
        using var login = await browser.GetAsync("/admin/auth/login");
        Assert.Equal(HttpStatusCode.Found, login.StatusCode);
        using var forged = await browser.GetAsync("/admin/auth/callback?code=stolen-code&state=forged-state");
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("state mismatch", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_altered_session_cookie_is_not_a_session()
    {
        using var root = await Dash.SignInAsync("root");
        var cookie = root.Cookies.GetCookies(new Uri(Dash.BaseUrl + "/admin/api/session"))["basalt_admin"]!;
        var chars = cookie.Value.ToCharArray();
        chars[20] = chars[20] == 'A' ? 'B' : 'A';
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Dash.BaseUrl + "/admin/api/session");
        request.Headers.Add("cookie", "basalt_admin=" + new string(chars));
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_change_without_the_CSRF_token_or_from_a_foreign_origin_is_refused_and_with_both_it_is_made()
    {
        using var root = await Dash.SignInAsync("root");
        var budget = new { scope = "user", value = "frank", period = "month", limitUsd = 50 };
        foreach (var (origin, csrf, why) in new[] { ("", (string?)null, "no token"), ("", "not-the-token", "wrong token"), ("https://evil.example", "", "foreign origin"), (null, "", "no origin") })
        {
            using var refused = await root.SendAsync(HttpMethod.Put, "/admin/api/budgets/frank-csrf", budget, origin, csrf);
            var error = await DashboardTestHost.JsonAsync(refused, HttpStatusCode.Forbidden);
            Assert.True(error.GetProperty("error").GetProperty("code").GetString() == "csrf", why);
        }

        using var listed = await root.GetAsync("/admin/api/budgets?limit=100");
        Assert.DoesNotContain((await DashboardTestHost.JsonAsync(listed)).GetProperty("items").EnumerateArray(), b => b.GetProperty("id").GetString() == "frank-csrf");

        using var made = await root.SendAsync(HttpMethod.Put, "/admin/api/budgets/frank-csrf", budget);
        var item = await DashboardTestHost.JsonAsync(made);
        Assert.Equal(50m, item.GetProperty("limitUsd").GetDecimal());
        Assert.Equal("store", item.GetProperty("source").GetString());
    }

    [Fact]
    public async Task A_viewer_is_refused_every_change_by_the_server_even_with_a_valid_token_and_origin()
    {
        using var carol = await Dash.SignInAsync("carol");
        var calls = new (HttpMethod Method, string Path, object? Body)[]
        {
            (HttpMethod.Put, "/admin/api/budgets/carol-try", new { scope = "org", period = "month", limitUsd = 1 }),
            (HttpMethod.Post, "/admin/api/budgets/org-monthly/reset", null),
            (HttpMethod.Delete, "/admin/api/budgets/engineering-monthly", null),
            (HttpMethod.Post, "/admin/api/keys", new { name = "carol", ownerKind = "user", owner = "carol" }),
            (HttpMethod.Post, "/admin/api/keys/anything/rotate", null),
            (HttpMethod.Post, "/admin/api/keys/anything/revoke", null),
            (HttpMethod.Put, "/admin/api/rate-limits/user:carol", new { requestsPerMinute = 100000 }),
            (HttpMethod.Delete, "/admin/api/rate-limits/" + Uri.EscapeDataString("user:*"), null),
        };
        foreach (var (method, path, body) in calls)
        {
            using var response = await carol.SendAsync(method, path, body);
            var error = await DashboardTestHost.JsonAsync(response, HttpStatusCode.Forbidden);
            Assert.Equal("forbidden", error.GetProperty("error").GetProperty("code").GetString());
        }

        using var budgets = await carol.GetAsync("/admin/api/budgets");
        var items = (await DashboardTestHost.JsonAsync(budgets)).GetProperty("items").EnumerateArray().ToList();
        Assert.DoesNotContain(items, b => b.GetProperty("id").GetString() == "carol-try");
        Assert.Null(items.Single(b => b.GetProperty("id").GetString() == "org-monthly").GetProperty("resetAt").GetString());
        using var keys = await Dash.AdminClient().GetAsync("/admin/api/keys?status=all");
        Assert.DoesNotContain((await DashboardTestHost.JsonAsync(keys)).GetProperty("items").EnumerateArray(), k => k.GetProperty("owner").GetString() == "carol");
    }

    [Fact]
    public async Task A_team_lead_sees_only_the_people_groups_and_refusals_of_their_team()
    {
        using var dave = await Dash.SignInAsync("dave");
        var range = $"from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-40).ToString("O"))}";
        var users = await ItemsAsync(dave, $"/admin/api/users?{range}");
        Assert.Equal(["alice", "erin"], users.Select(u => u.GetProperty("user").GetString()).Order());
        Assert.All(users, u => Assert.Equal("engineering", u.GetProperty("group").GetString()));
        var groups = await ItemsAsync(dave, $"/admin/api/groups?{range}");
        Assert.Equal("engineering", Assert.Single(groups).GetProperty("group").GetString());
        var refusals = await ItemsAsync(dave, $"/admin/api/refusals?{range}&limit=1000");
        Assert.DoesNotContain(refusals, r => r.GetProperty("user").GetString() is "bob" or "frank");

        using (var bob = await dave.GetAsync("/admin/api/users/bob"))
        {
            Assert.Equal(HttpStatusCode.NotFound, bob.StatusCode);
        }

        using (var limited = await dave.GetAsync("/admin/api/users?group=limited"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, limited.StatusCode);
        }

        using (var audit = await dave.GetAsync("/admin/api/audit"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, audit.StatusCode);
        }

        using var alice = await dave.GetAsync($"/admin/api/users/alice?{range}");
        Assert.Equal("alice", (await DashboardTestHost.JsonAsync(alice)).GetProperty("user").GetString());

        // An admin sees everyone, and bob's budget refusals.
        using var root = await Dash.SignInAsync("root");
        var all = await ItemsAsync(root, $"/admin/api/users?{range}");
        Assert.Equal(["alice", "bob", "erin", "frank"], all.Select(u => u.GetProperty("user").GetString()).Where(u => u is "alice" or "bob" or "erin" or "frank").Order());
        Assert.Contains(await ItemsAsync(root, $"/admin/api/refusals?{range}&kind=refused"), r => r.GetProperty("user").GetString() == "bob" && r.GetProperty("reason").GetString() == "billing_error");
    }

    [Fact]
    public async Task The_overview_adds_up_the_seeded_usage_from_the_rollups()
    {
        using var root = await Dash.SignInAsync("root");
        var from = DateTimeOffset.UtcNow.AddDays(-31);
        using var response = await root.GetAsync($"/admin/api/overview?from={Uri.EscapeDataString(from.ToString("O"))}&bucket=day");
        Assert.True(response.Headers.TryGetValues("server-timing", out var timing) && timing.Single().StartsWith("app;dur=", StringComparison.Ordinal));
        var overview = await DashboardTestHost.JsonAsync(response);
        var seeded = Dash.SeededRecords;
        var totals = overview.GetProperty("totals");
        Assert.True(totals.GetProperty("requests").GetInt64() >= seeded.Count);
        Assert.True(totals.GetProperty("refused").GetInt64() >= seeded.Count(r => r.Outcome == Basalt.Usage.UsageOutcome.RefusedByPolicy));
        Assert.True(totals.GetProperty("errors").GetInt64() >= seeded.Count(r => r.Outcome == Basalt.Usage.UsageOutcome.UpstreamError));
        Assert.InRange(overview.GetProperty("series").GetArrayLength(), 30, 32);
        Assert.Contains(overview.GetProperty("topModels").EnumerateArray(), m => m.GetProperty("model").GetString() == "claude-sonnet-4-5");
        Assert.Contains(overview.GetProperty("topUsers").EnumerateArray(), u => u.GetProperty("user").GetString() == "alice");
        Assert.Equal(5000m, overview.GetProperty("monthToDate").GetProperty("budgetUsd").GetDecimal());
        Assert.Equal("org-monthly", overview.GetProperty("monthToDate").GetProperty("budgetId").GetString());
    }

    [Fact]
    public async Task A_budget_set_through_the_API_refuses_the_next_request_over_it_and_is_in_the_audit_log()
    {
        using var alice = Dash.Host.Client(Dash.Host.AliceKey);
        await GatewayUsageRoutesTests.AskAsync(alice, "before the cap", "haiku");

        using var root = await Dash.SignInAsync("root");
        using (var set = await root.SendAsync(HttpMethod.Put, "/admin/api/budgets/alice-cap", new { scope = "user", value = "alice", period = "month", limitUsd = 0.000001 }))
        {
            var item = await DashboardTestHost.JsonAsync(set);
            Assert.Equal("exceeded", item.GetProperty("status").GetString());
        }

        var refused = await GatewayUsageRoutesTests.AskAsync(alice, "after the cap", "haiku", HttpStatusCode.TooManyRequests);
        Assert.Equal("billing_error", refused.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("alice-cap", refused.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);

        using (var reset = await root.SendAsync(HttpMethod.Post, "/admin/api/budgets/alice-cap/reset"))
        {
            Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        }

        await GatewayUsageRoutesTests.AskAsync(alice, "after the reset", "haiku");
        using (var delete = await root.SendAsync(HttpMethod.Delete, "/admin/api/budgets/alice-cap"))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        var audit = await ItemsAsync(root, "/admin/api/audit?limit=100");
        var mine = audit.Where(a => a.GetProperty("target").GetString() == "alice-cap").Select(a => a.GetProperty("event").GetString()).ToList();
        Assert.Equal(["budget.delete", "budget.reset", "budget.set"], mine);
        var setEntry = audit.First(a => a.GetProperty("target").GetString() == "alice-cap" && a.GetProperty("event").GetString() == "budget.set");
        Assert.Equal("root", setEntry.GetProperty("actor").GetString());
        Assert.Equal(0.000001m, setEntry.GetProperty("details").GetProperty("limitUsd").GetDecimal());
    }

    [Fact]
    public async Task A_rate_limit_set_through_the_API_is_validated_enforced_from_the_next_request_audited_and_deleted()
    {
        using var root = await Dash.SignInAsync("root");
        foreach (var (id, body, word) in new (string, object, string)[]
        {
            ("user:alice", new { requestsPerMinute = 0 }, "'requestsPerMinute' must be a whole number from 1 to 2,147,483,647"),
            ("user:alice", new { requestsPerMinute = 1.5 }, "'requestsPerMinute' must be a whole number"),
            ("user:alice", new { requestsPerMinute = (int?)null }, "needs at least one of requestsPerMinute"),
            ("user:alice", new { rpm = 5 }, "'rpm' is not a rate limit field"),
            ("person:alice", new { requestsPerMinute = 5 }, "'person:alice' is not a rate limit id; expected 'scope:value'"),
            ("org:acme", new { requestsPerMinute = 5 }, "its id is 'org:*'"),
        })
        {
            using var refused = await root.SendAsync(HttpMethod.Put, "/admin/api/rate-limits/" + Uri.EscapeDataString(id), body);
            var error = await DashboardTestHost.JsonAsync(refused, HttpStatusCode.BadRequest);
            Assert.Contains(word, error.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        // A team lead may not change limits either (server-side, with their own valid token).
        using (var dave = await Dash.SignInAsync("dave"))
        using (var leadTry = await dave.SendAsync(HttpMethod.Put, "/admin/api/rate-limits/group:engineering", new { requestsPerMinute = 100000 }))
        {
            await DashboardTestHost.JsonAsync(leadTry, HttpStatusCode.Forbidden);
        }

        using (var set = await root.SendAsync(HttpMethod.Put, "/admin/api/rate-limits/user:alice", new { requestsPerMinute = 1 }))
        {
            var item = await DashboardTestHost.JsonAsync(set);
            Assert.Equal("user:alice", item.GetProperty("id").GetString());
            Assert.Equal(1, item.GetProperty("requestsPerMinute").GetInt64());
            Assert.Equal("store", item.GetProperty("source").GetString());
        }

        var listed = await ItemsAsync(root, "/admin/api/rate-limits");
        Assert.Equal("store", listed.Single(l => l.GetProperty("id").GetString() == "user:alice").GetProperty("source").GetString());
        Assert.Equal("config", listed.Single(l => l.GetProperty("id").GetString() == "user:*").GetProperty("source").GetString());

        // One request a minute: of three in a row at least one is refused (two only if a minute starts between them).
        using var alice = Dash.Host.Client(Dash.Host.AliceKey);
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 3 && limited is null; i++)
        {
            var response = await alice.PostAsync("/v1/messages", new StringContent("""{"model":"haiku","max_tokens":8,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
            else
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                response.Dispose();
            }
        }

        Assert.NotNull(limited);
        using (limited)
        {
            var text = await limited.Content.ReadAsStringAsync();
            Assert.Contains("rate_limit_error", text, StringComparison.Ordinal);
            Assert.Contains("user alice may use 1 requests per minute", text, StringComparison.Ordinal);
            Assert.InRange(limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        }

        // The configured limit cannot be deleted here (only overridden); the stored one can, and alice is let through.
        using (var configured = await root.SendAsync(HttpMethod.Delete, "/admin/api/rate-limits/" + Uri.EscapeDataString("user:*")))
        {
            var error = await DashboardTestHost.JsonAsync(configured, HttpStatusCode.Conflict);
            Assert.Contains("configuration file", error.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        using (var delete = await root.SendAsync(HttpMethod.Delete, "/admin/api/rate-limits/user:alice"))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        await GatewayUsageRoutesTests.AskAsync(alice, "after the limit was deleted", "haiku");

        var audit = await ItemsAsync(root, "/admin/api/audit?limit=100");
        var mine = audit.Where(a => a.GetProperty("target").GetString() == "user:alice").ToList();
        Assert.Equal(["rate_limit.delete", "rate_limit.set"], mine.Select(a => a.GetProperty("event").GetString()));
        Assert.All(mine, a => Assert.Equal("root", a.GetProperty("actor").GetString()));
        var setDetails = mine[1].GetProperty("details");
        Assert.Equal(1, setDetails.GetProperty("requestsPerMinute").GetInt64());
        Assert.Equal(JsonValueKind.Null, setDetails.GetProperty("previous").ValueKind);
        Assert.Equal("rpm 1", mine[0].GetProperty("details").GetProperty("previous").GetString());
        Assert.Equal("no limit", mine[0].GetProperty("details").GetProperty("now").GetString());
    }

    [Fact]
    public async Task A_key_created_through_the_API_works_once_copied_and_stops_after_revocation()
    {
        using var root = await Dash.SignInAsync("root");
        using var created = await root.SendAsync(HttpMethod.Post, "/admin/api/keys", new { name = "ci-pipeline", ownerKind = "user", owner = "erin" });
        var answer = await DashboardTestHost.JsonAsync(created, HttpStatusCode.Created);
        var text = answer.GetProperty("text").GetString()!;
        var id = answer.GetProperty("key").GetProperty("id").GetString()!;
        Assert.StartsWith("bsk_" + id + "_", text, StringComparison.Ordinal);

        using var client = Dash.Host.Client(text);
        await GatewayUsageRoutesTests.AskAsync(client, "with the new key", "haiku");

        var listed = await ItemsAsync(root, "/admin/api/keys?status=all&limit=1000");
        var row = listed.Single(k => k.GetProperty("id").GetString() == id);
        Assert.Equal("active", row.GetProperty("status").GetString());
        Assert.DoesNotContain(text, row.GetRawText(), StringComparison.Ordinal);

        using (var revoke = await root.SendAsync(HttpMethod.Post, $"/admin/api/keys/{id}/revoke"))
        {
            Assert.Equal("revoked", (await DashboardTestHost.JsonAsync(revoke)).GetProperty("key").GetProperty("status").GetString());
        }

        await GatewayUsageRoutesTests.AskAsync(client, "after revocation", "haiku", HttpStatusCode.Unauthorized);
        var audit = await ItemsAsync(root, "/admin/api/audit?limit=100");
        Assert.Contains(audit, a => a.GetProperty("event").GetString() == "key.create" && a.GetProperty("target").GetString() == id);
        Assert.Contains(audit, a => a.GetProperty("event").GetString() == "key.revoke" && a.GetProperty("target").GetString() == id);
        Assert.DoesNotContain(audit, a => a.GetRawText().Contains(text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tables_export_as_RFC_4180_CSV_with_formula_cells_defused()
    {
        var hostile = "=HYPERLINK(\"http://evil.example\",\"x\")";
        await Dash.Host.Gateway.Usage!.Store.WriteAsync(
        [
            new Basalt.Usage.Records.UsageRecord
            {
                RequestId = "csv-hostile", TimestampMs = DateTimeOffset.UtcNow.AddMinutes(-3).ToUnixTimeMilliseconds(), UserId = hostile, Groups = ["design"],
                ModelRequested = "claude-haiku-4-5", InputTokens = 10, OutputTokens = 5, CostNanos = 1, DurationMs = 5, StatusCode = 200,
            },
        ], CancellationToken.None);
        using var response = await Dash.AdminClient().GetAsync("/admin/api/users?format=csv&sort=user&order=asc");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.StartsWith("attachment; filename=\"users-", response.Content.Headers.ContentDisposition!.ToString(), StringComparison.Ordinal);
        var csv = await response.Content.ReadAsStringAsync();
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("user,group,requests,inputTokens,outputTokens,cacheReadTokens,cacheWriteTokens,tokens,costUsd,errors,refused", lines[0]);
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",,1,10,5,0,0,15,0.000000001,0,0", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith('='));
        Assert.Contains(lines, l => l.StartsWith("alice,", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Upstream_health_shows_the_breaker_state_and_recent_latency_percentiles()
    {
        var health = await DashboardTestHost.JsonAsync(await Dash.AdminClient().GetAsync("/admin/api/upstreams?window=60"));
        var region = Assert.Single(health.GetProperty("items").EnumerateArray());
        Assert.Equal("region0", region.GetProperty("name").GetString());
        Assert.Equal("closed", region.GetProperty("breaker").GetString());
        Assert.True(region.GetProperty("requests").GetInt64() > 0);
        Assert.InRange(region.GetProperty("p50Ms").GetInt64(), 1, 10_000);
        Assert.True(region.GetProperty("p99Ms").GetInt64() >= region.GetProperty("p50Ms").GetInt64());
    }

    [Fact]
    public async Task Device_reported_usage_is_shown_beside_gateway_metered_usage()
    {
        var from = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-31).ToString("O"));
        var items = (await DashboardTestHost.JsonAsync(await Dash.AdminClient().GetAsync($"/admin/api/devices?by=user&from={from}"))).GetProperty("items").EnumerateArray().ToList();
        var alice = items.Single(i => i.GetProperty("key").GetString() == "alice");
        Assert.Equal(30, alice.GetProperty("deviceRequests").GetInt64());
        Assert.True(alice.GetProperty("gatewayRequests").GetInt64() >= 120);
        var bob = items.Single(i => i.GetProperty("key").GetString() == "bob");
        Assert.Equal(0, bob.GetProperty("deviceRequests").GetInt64());
    }

    [Fact]
    public async Task Each_groups_content_policy_is_listed_and_a_team_lead_sees_only_their_teams()
    {
        using var carol = await Dash.SignInAsync("carol");
        var all = await ItemsAsync(carol, "/admin/api/policies");
        var engineering = all.Single(p => p.GetProperty("group").GetString() == "engineering");
        Assert.Equal(["email:mask", "paymentCard:block"], engineering.GetProperty("pii").EnumerateArray().Select(a => a.GetString()));
        Assert.True(engineering.GetProperty("archive").GetBoolean());
        Assert.Equal(["*"], engineering.GetProperty("models").EnumerateArray().Select(a => a.GetString()));
        var limited = all.Single(p => p.GetProperty("group").GetString() == "limited");
        Assert.Empty(limited.GetProperty("pii").EnumerateArray());
        Assert.False(limited.GetProperty("archive").GetBoolean());
        Assert.Equal(["claude-haiku-4-5"], limited.GetProperty("models").EnumerateArray().Select(a => a.GetString()));

        using var dave = await Dash.SignInAsync("dave");
        Assert.Equal("engineering", Assert.Single(await ItemsAsync(dave, "/admin/api/policies")).GetProperty("group").GetString());
    }

    [Fact]
    public async Task Bad_parameters_are_refused_naming_the_parameter()
    {
        using var admin = Dash.AdminClient();
        foreach (var (path, word) in new[] { ("/admin/api/users?sort=password", "sort=password"), ("/admin/api/users?limit=0", "'limit'"), ("/admin/api/overview?from=yesterday", "'from'"), ("/admin/api/nothing", "not a dashboard API route") })
        {
            using var response = await admin.GetAsync(path);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, text);
            Assert.Contains(word, text, StringComparison.Ordinal);
        }
    }

    private static async Task<List<JsonElement>> ItemsAsync(DashboardBrowser browser, string path)
    {
        using var response = await browser.GetAsync(path);
        return [.. (await DashboardTestHost.JsonAsync(response)).GetProperty("items").EnumerateArray()];
    }
}

/// <summary>One dashboard gateway (IdP, emulator, seeded store) shared by the API tests: starting it costs seconds.</summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public DashboardTestHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await DashboardTestHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class DashboardTestGroup : ICollectionFixture<DashboardFixture>
{
    public const string Name = "dashboard";
}
