using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Basalt.Gateway.Tests.Dashboard.Browser;

/// <summary>
/// The admin dashboard in a real browser (issue 11 "Done when"): Debian's chromium driven by Playwright against the
/// real gateway with seeded usage, signed in through oidc-provider. Every page renders with data and without a CSP
/// violation; a budget set in the UI refuses the next request over it; a key created in the UI works once copied
/// and stops after revocation; a viewer cannot change anything even by calling the API from the page by hand.
/// </summary>
public sealed class DashboardBrowserTests(DashboardBrowserFixture fixture) : IClassFixture<DashboardBrowserFixture>
{
    private static readonly string[] Pages = ["overview", "users", "users/alice", "groups", "groups/engineering", "budgets", "keys", "refusals", "upstreams", "devices", "audit"];

    [Fact]
    public async Task An_admin_signed_in_through_oidc_provider_sees_every_page_render_with_data_and_no_csp_violation()
    {
        await using var browser = await fixture.SignedInAsync("root");
        var page = browser.Page;
        await Assertions.Expect(page.Locator(".who")).ToContainTextAsync("admin");

        // No secret in the page: the session cookie is HttpOnly (scripts cannot read it) and the CSRF token lives in
        // a module's memory, never in the document or in web storage.
        var (_, session) = await browser.FetchAsync("GET", "/admin/api/session", withCsrf: false);
        var csrf = session.GetProperty("csrfToken").GetString()!;
        Assert.DoesNotContain("basalt_admin", await page.EvaluateAsync<string>("() => document.cookie"), StringComparison.Ordinal);
        Assert.DoesNotContain(csrf, await page.ContentAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(csrf, await page.EvaluateAsync<string>("() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })"), StringComparison.Ordinal);

        foreach (var route in Pages)
        {
            await browser.OpenAsync(route);
            var name = route.Replace('/', '-');
            switch (route)
            {
                case "overview":
                    Assert.NotEqual("$0.00", await page.Locator("[data-kpi=spend] .kpi-value").InnerTextAsync());
                    Assert.Equal(5, await page.Locator("[data-chart] canvas").CountAsync());
                    await Assertions.Expect(page.Locator("[data-table=top-users] tbody tr a").First).ToBeVisibleAsync();
                    break;
                case "users/alice" or "groups/engineering":
                    await Assertions.Expect(page.Locator("[data-table$=-models] tbody tr:not(.empty)").First).ToBeVisibleAsync();
                    Assert.True(await page.Locator("canvas").CountAsync() >= 2);
                    break;
                case "budgets":
                    await Assertions.Expect(page.Locator("form[data-form=budget]")).ToBeVisibleAsync();
                    await Assertions.Expect(page.Locator("[data-table=budgets] .burn-track").First).ToBeVisibleAsync();
                    break;
                case "keys":
                    await Assertions.Expect(page.Locator("form[data-form=create-key]")).ToBeVisibleAsync();
                    break;
                case "upstreams":
                    await Assertions.Expect(page.Locator("[data-upstream]").First).ToBeVisibleAsync();
                    break;
            }

            // Every table shows rows (the fixture seeded usage, refusals, device records, budgets, a key, audit
            // entries) and offers its CSV export.
            foreach (var table in await page.Locator("[data-table]").AllAsync())
            {
                var id = await table.GetAttributeAsync("data-table");
                Assert.True(await table.Locator("tbody tr:not(.empty)").CountAsync() > 0, $"#/{route}: table {id} is empty");
                Assert.False(string.IsNullOrEmpty(await table.Locator("a[download]").GetAttributeAsync("href")), $"#/{route}: table {id} has no CSV link");
            }

            Assert.Empty(await browser.ProblemsAsync());
            await browser.ScreenshotAsync(name);
        }
    }

    [Fact]
    public async Task Times_are_shown_in_the_viewers_zone_and_tables_sort_page_and_export_csv()
    {
        await using var browser = await fixture.SignedInAsync("root");
        var page = browser.Page;
        await browser.OpenAsync("refusals");

        // The newest refusal as the API has it (UTC) and as the page shows it (the viewer's zone, Asia/Kolkata).
        var newestQuery = (await page.Locator("[data-table=refusals] a[download]").GetAttributeAsync("href"))!.Replace("format=csv", "limit=1", StringComparison.Ordinal);
        Assert.Contains("sort=time&order=desc", newestQuery, StringComparison.Ordinal);
        var (status, body) = await browser.FetchAsync("GET", newestQuery, withCsrf: false);
        Assert.Equal(200, status);
        var newest = body.GetProperty("items")[0];
        var utc = DateTimeOffset.Parse(newest.GetProperty("time").GetString()!, CultureInfo.InvariantCulture);
        var local = TimeZoneInfo.ConvertTime(utc, TimeZoneInfo.FindSystemTimeZoneById(ChromiumBrowser.ViewerTimeZone));
        var shown = Normalize(await page.Locator("[data-table=refusals] tbody tr").First.Locator("td").First.InnerTextAsync());
        Assert.Equal(EnglishUs(local), shown);

        // Sorting asks the server (first row changes to the oldest), paging moves by the page size.
        var total = body.GetProperty("total").GetInt32();
        await page.Locator("[data-table=refusals] button.sort[data-sort=time]").ClickAsync();
        await browser.WaitReadyAsync("refusals");
        await Assertions.Expect(page.Locator("[data-table=refusals] th.sorted")).ToHaveAttributeAsync("aria-sort", "ascending");
        // The page's own range and sort, as its CSV link carries them.
        var pageQuery = (await page.Locator("[data-table=refusals] a[download]").GetAttributeAsync("href"))!.Replace("format=csv", "limit=1", StringComparison.Ordinal);
        Assert.Contains("order=asc", pageQuery, StringComparison.Ordinal);
        var (_, oldestBody) = await browser.FetchAsync("GET", pageQuery, withCsrf: false);
        var oldest = TimeZoneInfo.ConvertTime(DateTimeOffset.Parse(oldestBody.GetProperty("items")[0].GetProperty("time").GetString()!, CultureInfo.InvariantCulture), TimeZoneInfo.FindSystemTimeZoneById(ChromiumBrowser.ViewerTimeZone));
        Assert.Equal(EnglishUs(oldest), Normalize(await page.Locator("[data-table=refusals] tbody tr").First.Locator("td").First.InnerTextAsync()));
        if (total > 10)
        {
            await page.Locator("[data-table=refusals] select.page-size").SelectOptionAsync("10");
            await browser.WaitReadyAsync("refusals");
            Assert.Equal(10, await page.Locator("[data-table=refusals] tbody tr").CountAsync());
            await page.Locator("[data-table=refusals] [data-page=next]").ClickAsync();
            await browser.WaitReadyAsync("refusals");
            await Assertions.Expect(page.Locator("[data-table=refusals] .pager-range")).ToContainTextAsync($"11–");
        }

        // The CSV link carries the table's filters and sort, and the browser's cookie gets the file.
        var href = await page.Locator("[data-table=refusals] a[download]").GetAttributeAsync("href");
        Assert.Contains("format=csv", href, StringComparison.Ordinal);
        Assert.Contains("sort=time", href, StringComparison.Ordinal);
        Assert.Contains("order=asc", href, StringComparison.Ordinal);
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-table=refusals] a[download]").ClickAsync());
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.StartsWith("time,", csv, StringComparison.Ordinal);
        Assert.Equal(total + 1, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);

        // The range picker: the last 24 hours come in hourly buckets, and the choice is kept for the next visit.
        await browser.OpenAsync("overview");
        await Assertions.Expect(page.Locator("[data-chart=spend] .card-sub")).ToHaveTextAsync("per UTC day");
        await page.Locator(".range select").SelectOptionAsync("24h");
        await browser.WaitReadyAsync("overview");
        await Assertions.Expect(page.Locator("[data-chart=spend] .card-sub")).ToHaveTextAsync("per hour");
        await page.ReloadAsync();
        await browser.WaitReadyAsync("overview");
        await Assertions.Expect(page.Locator(".range select")).ToHaveValueAsync("24h");
        Assert.Empty(await browser.ProblemsAsync());
    }

    [Fact]
    public async Task A_budget_set_in_the_ui_refuses_the_next_request_over_it()
    {
        var gateway = fixture.Host.Host;
        Assert.Equal(HttpStatusCode.OK, await MessageStatusAsync(gateway.BobKey, "haiku"));

        await using var browser = await fixture.SignedInAsync("root");
        var page = browser.Page;
        await browser.OpenAsync("budgets");
        var form = page.Locator("form[data-form=budget]");
        await form.Locator("input[name=id]").FillAsync("ui-bob-monthly");
        await form.Locator("select[name=scope]").SelectOptionAsync("user");
        await form.Locator("input[name=value]").FillAsync("bob");
        await form.Locator("select[name=period]").SelectOptionAsync("month");
        await form.Locator("input[name=limitUsd]").FillAsync("0.000001");
        await form.Locator("[data-action=save-budget]").ClickAsync();
        await Assertions.Expect(page.Locator(".toast")).ToContainTextAsync("ui-bob-monthly saved");
        await browser.WaitReadyAsync("budgets");
        await Assertions.Expect(page.Locator("[data-table=budgets] tbody tr", new() { HasText = "ui-bob-monthly" })).ToBeVisibleAsync();

        using var client = gateway.Client(gateway.BobKey);
        using var refused = await client.PostAsync("/v1/messages", Message("haiku"));
        var text = await refused.Content.ReadAsStringAsync();
        Assert.True(refused.StatusCode == HttpStatusCode.TooManyRequests, $"{(int)refused.StatusCode}: {text}");
        Assert.Contains("billing_error", text, StringComparison.Ordinal);

        // The change is audited under the admin's name.
        await browser.OpenAsync("audit");
        await Assertions.Expect(page.Locator("[data-table=audit] tbody tr", new() { HasText = "ui-bob-monthly" }).First).ToContainTextAsync("budget.set");

        // Deleting it in the UI lifts the refusal at the next request.
        await browser.OpenAsync("budgets");
        await page.Locator("[data-table=budgets] tbody tr", new() { HasText = "ui-bob-monthly" }).Locator("[data-action=delete]").ClickAsync();
        await page.Locator("dialog [data-action=confirm]").ClickAsync();
        await Assertions.Expect(page.Locator(".toast", new() { HasText = "deleted" })).ToBeVisibleAsync();
        Assert.Equal(HttpStatusCode.OK, await MessageStatusAsync(gateway.BobKey, "haiku"));
        Assert.Empty(await browser.ProblemsAsync());
    }

    [Fact]
    public async Task A_rate_limit_set_in_the_ui_refuses_the_users_next_request_over_it_with_retry_after_and_deleting_it_lets_requests_through()
    {
        var gateway = fixture.Host.Host;
        await using var browser = await fixture.SignedInAsync("root");
        var page = browser.Page;
        await browser.OpenAsync("budgets");
        var form = page.Locator("form[data-form=rate-limit]");
        await form.Locator("select[name=scope]").SelectOptionAsync("user");
        await form.Locator("input[name=value]").FillAsync("bob");

        // The server's refusal of a bad figure is shown in the form, naming the field and what it expects.
        await form.Locator("input[name=requestsPerMinute]").FillAsync("0");
        await form.Locator("[data-action=save-rate-limit]").ClickAsync();
        await Assertions.Expect(form.Locator(".form-message.error")).ToContainTextAsync("'requestsPerMinute' must be a whole number from 1");

        await form.Locator("input[name=requestsPerMinute]").FillAsync("1");
        await form.Locator("[data-action=save-rate-limit]").ClickAsync();
        await Assertions.Expect(page.Locator(".toast", new() { HasText = "user bob saved" })).ToBeVisibleAsync();
        var row = page.Locator("[data-table=rate-limits] tbody tr", new() { HasText = "user:bob" });
        await Assertions.Expect(row).ToContainTextAsync("store");

        // One request a minute for bob: of three in a row at least one is refused, with retry-after.
        HttpResponseMessage? limited = null;
        using (var client = gateway.Client(gateway.BobKey))
        {
            for (var i = 0; i < 3 && limited is null; i++)
            {
                var response = await client.PostAsync("/v1/messages", Message("haiku"));
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
        }

        Assert.NotNull(limited);
        using (limited)
        {
            Assert.Contains("rate_limit_error", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.NotNull(limited.Headers.RetryAfter?.Delta);
        }

        // Audited under the admin's name; deleting it in the UI lets bob through at the next request.
        await browser.OpenAsync("audit");
        await Assertions.Expect(page.Locator("[data-table=audit] tbody tr", new() { HasText = "user:bob" }).First).ToContainTextAsync("rate_limit.set");
        await browser.OpenAsync("budgets");
        await page.Locator("[data-table=rate-limits] tbody tr", new() { HasText = "user:bob" }).Locator("[data-action=delete]").ClickAsync();
        await page.Locator("dialog [data-action=confirm]").ClickAsync();
        await Assertions.Expect(page.Locator(".toast", new() { HasText = "user:bob deleted" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-table=rate-limits] tbody tr", new() { HasText = "user:bob" })).ToHaveCountAsync(0);
        Assert.Equal(HttpStatusCode.OK, await MessageStatusAsync(gateway.BobKey, "haiku"));
        Assert.Empty(await browser.ProblemsAsync("status of 400 (Bad Request)"));
    }

    [Fact]
    public async Task A_key_created_in_the_ui_works_once_copied_and_stops_after_revocation()
    {
        await using var browser = await fixture.SignedInAsync("root");
        var page = browser.Page;
        await browser.OpenAsync("keys");
        var form = page.Locator("form[data-form=create-key]");
        await form.Locator("input[name=name]").FillAsync("ui-notebook");
        await form.Locator("select[name=ownerKind]").SelectOptionAsync("user");
        await form.Locator("input[name=owner]").FillAsync("alice");
        await form.Locator("[data-action=create-key]").ClickAsync();

        var dialog = page.Locator("dialog.dialog-secret");
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await dialog.Locator("[data-action=copy]").ClickAsync();
        await Assertions.Expect(dialog.Locator(".copied")).ToHaveTextAsync("Copied to the clipboard");
        var key = await page.EvaluateAsync<string>("() => navigator.clipboard.readText()");
        Assert.StartsWith("bsk_", key, StringComparison.Ordinal);
        await dialog.Locator("[data-action=done]").ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);

        // Shown once: nowhere in the page any more, nor in what the API lists.
        Assert.DoesNotContain(key, await page.ContentAsync(), StringComparison.Ordinal);
        var (_, listed) = await browser.FetchAsync("GET", "/admin/api/keys?status=all&limit=1000", withCsrf: false);
        Assert.DoesNotContain(key, listed.GetRawText(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, await MessageStatusAsync(key, "haiku"));

        // Rotate: a new key text shown once, the old one refused at once.
        await browser.WaitReadyAsync("keys");
        var row = page.Locator("[data-table=keys] tbody tr", new() { HasText = "ui-notebook" });
        await row.Locator("[data-action=rotate]").ClickAsync();
        await page.Locator("dialog [data-action=confirm]").ClickAsync();
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await dialog.Locator("[data-action=copy]").ClickAsync();
        await Assertions.Expect(dialog.Locator(".copied")).ToHaveTextAsync("Copied to the clipboard");
        var rotated = await page.EvaluateAsync<string>("() => navigator.clipboard.readText()");
        Assert.StartsWith("bsk_", rotated, StringComparison.Ordinal);
        Assert.NotEqual(key, rotated);
        await dialog.Locator("[data-action=done]").ClickAsync();
        Assert.Equal(HttpStatusCode.Unauthorized, await MessageStatusAsync(key, "haiku"));
        Assert.Equal(HttpStatusCode.OK, await MessageStatusAsync(rotated, "haiku"));

        // Revoke: refused from the next request on, and gone from the active list.
        await browser.WaitReadyAsync("keys");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await row.Locator("[data-action=revoke]").ClickAsync();
        await page.Locator("dialog [data-action=confirm]").ClickAsync();
        await Assertions.Expect(page.Locator(".toast", new() { HasText = "ui-notebook revoked" })).ToBeVisibleAsync();
        await Assertions.Expect(row).ToHaveCountAsync(0);

        Assert.Equal(HttpStatusCode.Unauthorized, await MessageStatusAsync(rotated, "haiku"));
        Assert.Empty(await browser.ProblemsAsync());
    }

    [Fact]
    public async Task A_viewer_sees_no_controls_and_the_server_refuses_every_change_made_by_hand_from_the_page()
    {
        await using var browser = await fixture.SignedInAsync("carol");
        var page = browser.Page;
        await Assertions.Expect(page.Locator(".who")).ToContainTextAsync("viewer");

        await browser.OpenAsync("budgets");
        Assert.Equal(0, await page.Locator("form").CountAsync());
        Assert.Equal(0, await page.Locator("[data-action=edit], [data-action=reset], [data-action=delete]").CountAsync());
        await browser.OpenAsync("keys");
        Assert.Equal(0, await page.Locator("form").CountAsync());
        Assert.Equal(0, await page.Locator("[data-action=rotate], [data-action=revoke]").CountAsync());

        // The same calls an admin's page makes, from the viewer's page with the viewer's own valid CSRF token.
        var (_, budgets) = await browser.FetchAsync("GET", "/admin/api/budgets", withCsrf: false);
        var budgetId = budgets.GetProperty("items")[0].GetProperty("id").GetString()!;
        var (_, keys) = await browser.FetchAsync("GET", "/admin/api/keys?status=active", withCsrf: false);
        var keyId = keys.GetProperty("items")[0].GetProperty("id").GetString()!;
        var attempts = new (string Method, string Path, object? Body)[]
        {
            ("PUT", $"/admin/api/budgets/{budgetId}", new { scope = "org", value = "*", period = "month", limitUsd = 1_000_000, softPercent = 80, timeZone = "UTC" }),
            ("PUT", "/admin/api/budgets/viewer-made", new { scope = "user", value = "carol", period = "day", limitUsd = 1, softPercent = 80, timeZone = "UTC" }),
            ("POST", $"/admin/api/budgets/{budgetId}/reset", null),
            ("DELETE", $"/admin/api/budgets/{budgetId}", null),
            ("POST", "/admin/api/keys", new { name = "viewer-key", ownerKind = "user", owner = "carol", allowedModels = Array.Empty<string>() }),
            ("POST", $"/admin/api/keys/{keyId}/rotate", null),
            ("POST", $"/admin/api/keys/{keyId}/revoke", null),
            ("PUT", "/admin/api/rate-limits/user:carol", new { requestsPerMinute = 100000 }),
            ("PUT", "/admin/api/rate-limits/" + Uri.EscapeDataString("user:*"), new { requestsPerMinute = 100000 }),
            ("DELETE", "/admin/api/rate-limits/" + Uri.EscapeDataString("user:*"), null),
        };
        foreach (var (method, path, body) in attempts)
        {
            var (status, answer) = await browser.FetchAsync(method, path, body);
            Assert.True(status == 403, $"{method} {path} as a viewer → {status}: {answer}");
            Assert.Equal("forbidden", answer.GetProperty("error").GetProperty("code").GetString());
        }

        // Nothing changed.
        var (_, after) = await browser.FetchAsync("GET", "/admin/api/budgets", withCsrf: false);
        Assert.Equal(budgets.GetProperty("total").GetInt32(), after.GetProperty("total").GetInt32());
        var (_, limitsAfter) = await browser.FetchAsync("GET", "/admin/api/rate-limits", withCsrf: false);
        Assert.DoesNotContain(limitsAfter.GetProperty("items").EnumerateArray(), l => l.GetProperty("source").GetString() == "store");
        var (_, keyAfter) = await browser.FetchAsync("GET", "/admin/api/keys?status=active", withCsrf: false);
        Assert.Contains(keyAfter.GetProperty("items").EnumerateArray(), k => k.GetProperty("id").GetString() == keyId);
        // The refused calls above are the only failed loads.
        Assert.Empty(await browser.ProblemsAsync("status of 403 (Forbidden)"));
        await browser.ScreenshotAsync("viewer-budgets");
    }

    [Fact]
    public async Task A_team_lead_sees_only_their_teams_and_sign_out_ends_the_session()
    {
        await using var browser = await fixture.SignedInAsync("dave");
        var page = browser.Page;
        await Assertions.Expect(page.Locator(".who")).ToContainTextAsync("team lead · engineering");
        Assert.Equal(0, await page.Locator("nav a[data-route=audit]").CountAsync());
        await browser.OpenAsync("groups");
        var groups = await page.Locator("[data-table=groups] tbody tr td:first-child").AllInnerTextsAsync();
        Assert.Equal(["engineering"], groups.Select(g => g.Trim()).Distinct());
        await browser.OpenAsync("users");
        Assert.DoesNotContain("bob", (await page.Locator("[data-table=users] tbody tr td:first-child").AllInnerTextsAsync()).Select(u => u.Trim()));
        Assert.Empty(await browser.ProblemsAsync());

        // Sign-out ends the IdP's session too (RP-initiated logout): oidc-provider's end-session page asks to
        // confirm (it got the ID token as id_token_hint), then sends the browser back to /admin/, signed out.
        var logout = await page.RunAndWaitForResponseAsync(() => page.Locator("[data-action=sign-out]").ClickAsync(), r => r.Url.EndsWith("/admin/auth/logout", StringComparison.Ordinal));
        Assert.Equal(200, logout.Status); // with the IdP's end-session URL (204 when the IdP offers none)
        await Assertions.Expect(page.Locator("button[name=logout][value=yes]")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        Assert.StartsWith(fixture.Host.Idp.Issuer, page.Url, StringComparison.Ordinal);
        Assert.Contains("id_token_hint=", page.Url, StringComparison.Ordinal);
        Assert.Contains("post_logout_redirect_uri=" + Uri.EscapeDataString(fixture.Host.BaseUrl + "/admin/"), page.Url, StringComparison.Ordinal);
        await page.Locator("button[name=logout][value=yes]").ClickAsync();
        await Assertions.Expect(page.Locator("#app")).ToHaveAttributeAsync("data-state", "signed-out", new() { Timeout = 30_000 });
        Assert.StartsWith(fixture.Host.BaseUrl + "/admin/", page.Url, StringComparison.Ordinal);
        var (status, _) = await browser.FetchAsync("GET", "/admin/api/session", withCsrf: false);
        Assert.Equal(401, status);

        // Signing in again asks the IdP for the login, not a silent sign-in on a session it still holds.
        await page.Locator("[data-action=sign-in]").ClickAsync();
        await Assertions.Expect(page.Locator("input[name=login]")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        Assert.StartsWith(fixture.Host.Idp.Issuer, page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_groups_page_shows_each_groups_content_policy_and_whether_it_archives_prompts()
    {
        await using var browser = await fixture.SignedInAsync("carol");
        var page = browser.Page;
        await browser.OpenAsync("groups");
        var engineering = page.Locator("[data-table=policies] tbody tr", new() { HasText = "engineering" });
        await Assertions.Expect(engineering).ToContainTextAsync("email:mask");
        await Assertions.Expect(engineering).ToContainTextAsync("paymentCard:block");
        // The fixture archives engineering's prompts (archive: configured, group policy archive: true): "on" there,
        // "off" for a group without it.
        await Assertions.Expect(engineering.Locator(".badge")).ToHaveTextAsync("archives prompts");
        var limited = page.Locator("[data-table=policies] tbody tr", new() { HasText = "limited" });
        await Assertions.Expect(limited).ToContainTextAsync("claude-haiku-4-5");
        await Assertions.Expect(limited.Locator(".badge")).ToHaveTextAsync("no archive");
        Assert.Contains("format=csv", await page.Locator("[data-table=policies] a[download]").GetAttributeAsync("href"), StringComparison.Ordinal);

        await browser.OpenAsync("groups/engineering");
        await Assertions.Expect(page.Locator("[data-section=policy]")).ToContainTextAsync("PII: email:mask, paymentCard:block");
        await Assertions.Expect(page.Locator("[data-section=policy] .badge")).ToHaveTextAsync("archives prompts");
        await browser.ScreenshotAsync("groups-engineering-archive");
        Assert.Empty(await browser.ProblemsAsync());
    }

    [Fact]
    public async Task A_link_opened_while_signed_out_leads_to_its_page_after_sign_in()
    {
        await using var browser = await fixture.Chromium.NewSessionAsync(fixture.Host.BaseUrl);
        await browser.SignInAsync("carol", "/admin/#/refusals?kind=refused&user=bob");
        var page = browser.Page;
        await Assertions.Expect(page.Locator("main#main")).ToHaveAttributeAsync("data-page", "refusals");
        await browser.WaitReadyAsync("refusals");
        Assert.EndsWith("/admin/#/refusals?kind=refused&user=bob", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("input[name=user]")).ToHaveValueAsync("bob");
        var users = await page.Locator("[data-table=refusals] tbody tr td:nth-child(2)").AllInnerTextsAsync();
        Assert.NotEmpty(users);
        Assert.All(users, u => Assert.Equal("bob", u.Trim()));
        Assert.Empty(await browser.ProblemsAsync());
    }

    private async Task<HttpStatusCode> MessageStatusAsync(string key, string model)
    {
        using var client = fixture.Host.Host.Client(key);
        using var response = await client.PostAsync("/v1/messages", Message(model));
        return response.StatusCode;
    }

    private static StringContent Message(string model) =>
        new($$"""{"model":"{{model}}","max_tokens":16,"messages":[{"role":"user","content":"hello"}]}""", Encoding.UTF8, "application/json");

    /// <summary>What Intl.DateTimeFormat('en-US', { year, month: 'short', day, hour: '2-digit', minute, second }) prints
    /// (written out: the test process runs with invariant globalization).</summary>
    private static string EnglishUs(DateTimeOffset t)
    {
        string[] months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        var hour = t.Hour % 12 == 0 ? 12 : t.Hour % 12;
        return string.Create(CultureInfo.InvariantCulture, $"{months[t.Month - 1]} {t.Day}, {t.Year}, {hour:00}:{t.Minute:00}:{t.Second:00} {(t.Hour < 12 ? "AM" : "PM")}");
    }

    /// <summary>ICU puts a narrow no-break space before AM/PM; compare with plain spaces.</summary>
    private static string Normalize(string text) => Regex.Replace(text, "[\\s\\u202F\\u00A0]+", " ").Trim();
}
