using Basalt.Testing;
using Microsoft.Playwright;

namespace Basalt.Gateway.Tests.Dashboard.Browser;

/// <summary>
/// Debian's chromium driven by Playwright (issue 11 "Done when"). Playwright never downloads a browser here: it
/// launches <c>/usr/bin/chromium</c> (scripts/install-test-deps.sh installs it) with the flags this machine needs —
/// without the background-networking ones chromium keeps dialling Google's hosts, which the closed network refuses.
/// </summary>
public sealed class ChromiumBrowser : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>The viewer's zone in every browser context: far from UTC and not a whole hour off, so a time shown
    /// in UTC (or in the server's zone) instead of the viewer's cannot pass for it.</summary>
    public const string ViewerTimeZone = "Asia/Kolkata";

    private static readonly string[] Flags =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
    ];

    private readonly IPlaywright _playwright;

    private ChromiumBrowser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    /// <summary>Where screenshots go: <c>$BASALT_TEST_ARTIFACTS/dashboard</c>, else <c>artifacts/test-results/dashboard</c>.</summary>
    public static string ArtifactsFolder
    {
        get
        {
            var root = Environment.GetEnvironmentVariable("BASALT_TEST_ARTIFACTS") is { Length: > 0 } configured
                ? configured
                : Path.Combine(RepoPaths.Root, "artifacts", "test-results");
            var folder = Path.Combine(root, "dashboard");
            Directory.CreateDirectory(folder);
            return folder;
        }
    }

    public static async Task<ChromiumBrowser> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{ExecutablePath} is missing: the dashboard's browser tests drive Debian's chromium. Run scripts/install-test-deps.sh (apt-get install chromium).");
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = Flags,
                Timeout = 60_000,
            });
            return new ChromiumBrowser(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A fresh profile (no cookies) in the viewer's zone and locale, allowed to use the clipboard on
    /// <paramref name="origin"/>, recording console errors, page errors and CSP violations.
    /// </summary>
    public async Task<BrowserSession> NewSessionAsync(string origin)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
            TimezoneId = ViewerTimeZone,
            Locale = "en-US",
            Permissions = ["clipboard-read", "clipboard-write"],
            BaseURL = origin,
        });
        context.SetDefaultTimeout(20_000);
        return await BrowserSession.StartAsync(context);
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
