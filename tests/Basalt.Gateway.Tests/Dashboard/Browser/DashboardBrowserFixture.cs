namespace Basalt.Gateway.Tests.Dashboard.Browser;

/// <summary>
/// One gateway with seeded usage, its IdP (oidc-provider) and one chromium, shared by the browser tests of a class
/// (xunit runs them one after another). Each test opens its own browser profile, so sessions never leak between them.
/// </summary>
public sealed class DashboardBrowserFixture : IAsyncLifetime
{
    public DashboardTestHost Host { get; private set; } = null!;

    public ChromiumBrowser Chromium { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Host = await DashboardTestHost.StartAsync();
        Chromium = await ChromiumBrowser.LaunchAsync();

        // A managed key that stays active, so the keys page has a row whatever order the tests run in.
        using var admin = Host.AdminClient();
        using var created = await admin.PostAsync("/admin/api/keys", new StringContent("""{"name":"ci-pipeline","ownerKind":"user","owner":"erin"}""", System.Text.Encoding.UTF8, "application/json"));
        await DashboardTestHost.JsonAsync(created, System.Net.HttpStatusCode.Created);
    }

    /// <summary>A new profile signed in as <paramref name="login"/> (root = admin, carol = viewer, dave = team lead).</summary>
    public async Task<BrowserSession> SignedInAsync(string login)
    {
        var session = await Chromium.NewSessionAsync(Host.BaseUrl);
        try
        {
            await session.SignInAsync(login);
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    public async Task DisposeAsync()
    {
        if (Chromium is not null)
        {
            await Chromium.DisposeAsync();
        }

        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
    }
}
