using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Playwright;

namespace Basalt.Gateway.Tests.Dashboard.Browser;

/// <summary>
/// One browser profile and tab on the dashboard. It records what a person would not see but a test must: console
/// errors, uncaught exceptions and Content-Security-Policy violations (a page that needs 'unsafe-inline' shows up
/// here, not as a broken picture).
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    // Runs in every document before the page's own scripts (Playwright injects it through the DevTools protocol, so
    // the page's CSP does not apply to it).
    private const string ViolationRecorder = """
        window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation', (e) => {
          window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`);
        });
        """;

    private readonly ConcurrentQueue<string> _problems = new();

    private BrowserSession(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _problems.Enqueue($"console error: {message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => _problems.Enqueue($"page error: {error}");
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public static async Task<BrowserSession> StartAsync(IBrowserContext context)
    {
        await context.AddInitScriptAsync(ViolationRecorder);
        var page = await context.NewPageAsync();
        return new BrowserSession(context, page);
    }

    /// <summary>Console errors and page errors so far, with the current document's CSP violations.</summary>
    public async Task<IReadOnlyList<string>> ProblemsAsync(params string[] expected)
    {
        var violations = await Page.EvaluateAsync<string[]>("() => window.__cspViolations ?? []");
        return [.. _problems.Concat(violations.Select(v => "CSP violation: " + v)).Where(p => !expected.Any(e => p.Contains(e, StringComparison.Ordinal)))];
    }

    /// <summary>
    /// Signs in the way a person does: the dashboard's Sign in button, then oidc-provider's own login page (login
    /// name and any password: its dev interactions) and consent page, back to the dashboard with a session cookie.
    /// </summary>
    public async Task SignInAsync(string login, string start = "/admin/")
    {
        await Page.GotoAsync(start);
        await Assertions.Expect(Page.Locator("#app")).ToHaveAttributeAsync("data-state", "signed-out");
        var signedOut = Page.Url;
        await Page.Locator("[data-action=sign-in]").ClickAsync();
        await Assertions.Expect(Page).Not.ToHaveURLAsync(signedOut, new() { Timeout = 60_000 });
        // Every wait below polls the URL or the DOM; none waits for a load event. Full runs have three times missed the
        // load or DOMContentLoaded event of a page in the IdP's redirect chain although the page was on screen (60 s
        // timeouts in WaitForLoadStateAsync and in WaitForURLAsync, which falls back to it when the URL has already
        // changed).
        var page = Page.Locator("#app, form [type=submit]").First;
        for (var step = 0; step < 8; step++)
        {
            try
            {
                await page.WaitForAsync(new() { Timeout = 60_000 });
            }
            catch (TimeoutException)
            {
                // Neither the dashboard nor a form: the URL checks below say where sign-in stopped.
            }

            var url = Page.Url;
            if (new Uri(url).AbsolutePath == "/admin/")
            {
                break;
            }

            if (url.Contains("/admin/auth/", StringComparison.Ordinal))
            {
                throw new Xunit.Sdk.XunitException($"sign-in as {login} stopped at {url}: {await Page.Locator("body").InnerTextAsync()}");
            }

            if (await Page.Locator("input[name=login]").CountAsync() > 0)
            {
                await Page.Locator("input[name=login]").FillAsync(login);
                await Page.Locator("input[name=password]").FillAsync("any-password");
            }

            await Page.Locator("form button[type=submit], form [type=submit]").First.ClickAsync();
            await Assertions.Expect(Page).Not.ToHaveURLAsync(url, new() { Timeout = 60_000 });
        }

        await Assertions.Expect(Page.Locator("#app")).ToHaveAttributeAsync("data-state", "signed-in", new() { Timeout = 30_000 });
        await WaitReadyAsync("overview");

        // The signed-out page's 401 from /admin/api/session and the IdP's own pages are not the dashboard's problems.
        _problems.Clear();
    }

    /// <summary>Opens a dashboard route (<c>overview</c>, <c>users/alice</c>) and waits until its data is on screen.</summary>
    public async Task OpenAsync(string route)
    {
        var target = "/admin/#/" + route;
        if (Page.Url.Contains("/admin/", StringComparison.Ordinal) && !Page.Url.Contains("/admin/auth/", StringComparison.Ordinal))
        {
            await Page.EvaluateAsync("(hash) => { location.hash = hash; }", "#/" + route);
        }
        else
        {
            await Page.GotoAsync(target);
        }

        // The hash change renders on the next task: first see the new page's name, then its state.
        var segments = route.Split('?')[0].Split('/');
        await Assertions.Expect(Page.Locator("main#main")).ToHaveAttributeAsync("data-page", segments.Length > 1 ? segments[0] + "-detail" : segments[0]);
        await WaitReadyAsync(route);
    }

    /// <summary>Waits for <c>main[data-state=ready]</c> of the page; fails with the page's own error banner.</summary>
    public async Task WaitReadyAsync(string route)
    {
        var main = Page.Locator("main#main");
        await Assertions.Expect(main).ToHaveAttributeAsync("data-state", new System.Text.RegularExpressions.Regex("^(ready|error)$"), new() { Timeout = 30_000 });
        if (await main.GetAttributeAsync("data-state") == "error")
        {
            var banner = await Page.Locator(".banner-error").First.InnerTextAsync();
            throw new Xunit.Sdk.XunitException($"#/{route} failed to render: {banner}");
        }

        // Every table on the page has finished loading (its own data-state).
        foreach (var table in await Page.Locator("[data-table]").AllAsync())
        {
            await Assertions.Expect(table).ToHaveAttributeAsync("data-state", "ready");
        }
    }

    /// <summary>Calls the dashboard's API from the page's own context (its cookie, its origin), as a person could
    /// from the browser console: <c>{ status, body }</c>.</summary>
    public async Task<(int Status, JsonElement Body)> FetchAsync(string method, string path, object? body = null, bool withCsrf = true)
    {
        var result = await Page.EvaluateAsync<JsonElement>("""
            async ([method, path, body, withCsrf]) => {
              const headers = { accept: 'application/json' };
              if (withCsrf) {
                const session = await (await fetch('/admin/api/session', { credentials: 'same-origin' })).json();
                headers['x-csrf-token'] = session.csrfToken;
              }
              const init = { method, headers, credentials: 'same-origin' };
              if (body !== null) { headers['content-type'] = 'application/json'; init.body = JSON.stringify(body); }
              const response = await fetch(path, init);
              const text = await response.text();
              let parsed = null;
              try { parsed = text ? JSON.parse(text) : null; } catch { parsed = text; }
              return { status: response.status, body: parsed };
            }
            """, new object?[] { method, path, body, withCsrf });
        return (result.GetProperty("status").GetInt32(), result.GetProperty("body"));
    }

    /// <summary>A full-page screenshot into the test artifacts folder; returns its path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var path = Path.Combine(ChromiumBrowser.ArtifactsFolder, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
    }
}
