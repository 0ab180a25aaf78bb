using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Basalt.Gateway.Tests.TestSupport;
using Basalt.Testing;
using Basalt.Usage;
using Basalt.Usage.Pricing;
using Basalt.Usage.Records;

namespace Basalt.Gateway.Tests.Dashboard;

/// <summary>
/// A gateway with the admin dashboard on, for the dashboard's HTTP and browser tests (issue 11): oidc-provider as
/// the organization's IdP (tests/interop/oidc/idp.mjs: root → platform-admins → admin, carol → auditors → viewer,
/// dave → engineering-leads → team lead of engineering), the emulator upstream, usage in a SQLite file with
/// <see cref="SeedAsync"/>'s records (30 days of four people on two models, refusals, errors, device reports), two
/// budgets, managed keys, and an admin key for scripts. The gateway listens on a port chosen before it starts,
/// because the dashboard's redirect base URL (the IdP's callback and the CSRF origin) must name it.
/// </summary>
public sealed class DashboardTestHost : IAsyncDisposable
{
    public const string ClientId = "basalt-dashboard";
    public const string ClientSecret = "dashboard-test-secret";

    private readonly TempDirectory _temp;

    private DashboardTestHost(TestIdp idp, GatewayTestHost gateway, TempDirectory temp, string adminKey)
    {
        Idp = idp;
        Host = gateway;
        _temp = temp;
        AdminKey = adminKey;
    }

    public TestIdp Idp { get; }

    public GatewayTestHost Host { get; }

    public string BaseUrl => Host.BaseUrl;

    /// <summary>An admin key of <c>usage.admin</c>: the API as admin without a browser session.</summary>
    public string AdminKey { get; }

    public static async Task<DashboardTestHost> StartAsync(bool seed = true)
    {
        var idp = await TestIdp.StartAsync();
        var temp = new TempDirectory("dashboard");
        try
        {
            var port = FreePort();
            var adminKey = "bsk_dashadmin_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            var adminSha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(adminKey)));
            var options = new GatewayTestOptions
            {
                // engineering's prompts are archived (the dashboard shows the archive "on" for it, "off" for the others).
                EngineeringPolicyYaml = "        pii: { email: mask, paymentCard: block }\n        archive: true",
                UsageYaml = $$"""
                        dataDir: "{{temp.Path}}"
                        budgets:
                          - { id: org-monthly, scope: org, period: month, usd: 5000 }
                          - { id: engineering-monthly, scope: group, value: engineering, period: month, usd: 1000 }
                        rateLimits:
                          - { scope: user, value: "*", requestsPerMinute: 600 }
                        admin: { sha256: [ {{adminSha}} ] }
                    """,
                Environment = new Dictionary<string, string>
                {
                    ["DASH_SECRET"] = ClientSecret,
                    ["DASH_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                    ["ARCHIVE_KEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                },
                ExtraGatewayYaml = $$"""
                      identity:
                        oidc:
                          - { issuer: "{{idp.Issuer}}", audiences: [{{TestIdp.RsaClientId}}, {{ClientId}}] }
                        members: { engineering: [alice, erin] }
                        managedKeys: { sqlite: "{{temp.Combine("keys.db")}}" }
                      archive: { path: "{{temp.Combine("archive.db")}}", key: "${env:ARCHIVE_KEY}", retentionDays: 30 }
                      dashboard:
                        issuer: "{{idp.Issuer}}"
                        clientId: {{ClientId}}
                        clientSecret: "${env:DASH_SECRET}"
                        redirectBaseUrl: "http://127.0.0.1:{{port}}"
                        sessionKey: "${env:DASH_KEY}"
                        sessionLifetime: 1h
                        roles:
                          admins: [platform-admins]
                          viewers: [auditors]
                          teamLeads: [ { group: engineering-leads, teams: [engineering] } ]
                    """,
            };
            var gateway = await GatewayTestHost.StartAsync(new GatewayTestOptions
            {
                UsageYaml = options.UsageYaml,
                EngineeringPolicyYaml = options.EngineeringPolicyYaml,
                Environment = options.Environment,
                ExtraGatewayYaml = options.ExtraGatewayYaml,
                GatewayYaml = e => GatewayTestHost.GatewayYaml(e, options).Replace("http://127.0.0.1:0", $"http://127.0.0.1:{port}", StringComparison.Ordinal),
            });
            var host = new DashboardTestHost(idp, gateway, temp, adminKey);
            if (seed)
            {
                await host.SeedAsync();
            }

            return host;
        }
        catch
        {
            await idp.DisposeAsync();
            temp.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Usage of the last 30 days, written to the store as the journal writer would (rollups maintained):
    /// alice and erin (engineering), bob (limited), frank (design); sonnet and haiku; every fifth of bob's requests
    /// refused by a budget, every seventh of frank's an upstream error; alice's devices also report over OTLP.
    /// </summary>
    public async Task SeedAsync()
    {
        var usage = Host.Gateway.Usage!;
        var now = DateTimeOffset.UtcNow;
        var records = new List<UsageRecord>();
        (string User, string Group)[] people = [("alice", "engineering"), ("erin", "engineering"), ("bob", "limited"), ("frank", "design")];
        var n = 0;
        for (var day = 0; day < 30; day++)
        {
            foreach (var (user, group) in people)
            {
                for (var i = 0; i < 4; i++)
                {
                    n++;
                    var at = now.AddDays(-day).AddMinutes(-(10 + 13 * i + day));
                    var model = i % 2 == 0 ? "claude-sonnet-4-5" : "claude-haiku-4-5";
                    var refused = user == "bob" && n % 5 == 0;
                    var failed = user == "frank" && n % 7 == 0;
                    records.Add(new UsageRecord
                    {
                        RequestId = $"seed-{n}",
                        TimestampMs = at.ToUnixTimeMilliseconds(),
                        UserId = user,
                        Groups = [group],
                        KeyId = user + "-laptop",
                        Source = UsageSource.Gateway,
                        Protocol = "anthropic",
                        ModelRequested = model,
                        ModelServed = model,
                        Upstream = refused ? null : "region0",
                        Region = refused ? null : "us-east-1",
                        InputTokens = refused ? 0 : 1000 + 100 * i,
                        OutputTokens = refused ? 0 : 200 + 10 * day,
                        CacheReadTokens = refused ? 0 : 50,
                        CostNanos = refused ? 0 : (model == "claude-sonnet-4-5" ? 6_000_000 : 1_500_000) + 1000 * day,
                        PriceBasis = PriceBasis.Catalogue,
                        TtfbMs = refused ? null : 120 + i,
                        DurationMs = refused ? 2 : 800 + 50 * i,
                        Outcome = refused ? UsageOutcome.RefusedByPolicy : failed ? UsageOutcome.UpstreamError : UsageOutcome.Ok,
                        StatusCode = refused ? 429 : failed ? 529 : 200,
                        ErrorType = refused ? "billing_error" : failed ? "overloaded_error" : null,
                    });
                }
            }

            // Claude Code on alice's laptop reports its own usage too (OTLP logs): device-reported beside metered.
            records.Add(new UsageRecord
            {
                RequestId = $"seed-device-{day}",
                TimestampMs = now.AddDays(-day).AddMinutes(-5).ToUnixTimeMilliseconds(),
                UserId = "alice",
                Groups = ["engineering"],
                Source = UsageSource.Device,
                ModelRequested = "claude-sonnet-4-5",
                InputTokens = 3000,
                OutputTokens = 400,
                CostNanos = 15_000_000,
                PriceBasis = PriceBasis.Catalogue,
                DurationMs = 1000,
                Outcome = UsageOutcome.Ok,
                StatusCode = 200,
            });
        }

        await usage.Store.WriteAsync(records, CancellationToken.None);
        SeededRecords = records;
    }

    /// <summary>What <see cref="SeedAsync"/> wrote (tests compute expected figures from it).</summary>
    public IReadOnlyList<UsageRecord> SeededRecords { get; private set; } = [];

    /// <summary>An HTTP client holding the session of <paramref name="login"/> after signing in through the IdP.</summary>
    public async Task<DashboardBrowser> SignInAsync(string login)
    {
        var browser = new DashboardBrowser(new Uri(BaseUrl + "/"));
        await browser.SignInAsync(login);
        return browser;
    }

    /// <summary>A client calling the API with the admin key (no session).</summary>
    public HttpClient AdminClient()
    {
        var client = Host.Client();
        client.DefaultRequestHeaders.TryAddWithoutValidation("x-api-key", AdminKey);
        return client;
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expect = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expect, $"expected {(int)expect}, got {(int)response.StatusCode}: {text}");
        using var doc = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
        return doc.RootElement.Clone();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Idp.DisposeAsync();
        _temp.Dispose();
    }
}
