using Basalt.Deployment.Secrets;
using Basalt.Gateway.Configuration;
using Basalt.Usage.Budgets;
using Basalt.Usage.Stores;

namespace Basalt.Gateway.Tests.Configuration;

/// <summary>The <c>gateway.usage</c> section (issue 10): defaults, every key, and errors that name the key and the fix.</summary>
public sealed class GatewayUsageReaderTests
{
    private static readonly Dictionary<string, string> Env = new()
    {
        ["AKID"] = "AKIAEXAMPLEEXAMPLE12",
        ["SECRET"] = "s3cr3t-value-never-printed",
        ["KEY"] = "bsk_test_key",
        ["PG"] = "Host=/tmp/pg;Username=basalt;Password=pg-password-never-printed",
        ["ADMIN"] = "bsk_admin_key",
    };

    private const string Base = """
        gateway:
          upstreams:
            east:
              region: us-east-1
              credentials: { source: static, accessKeyId: "${env:AKID}", secretAccessKey: "${env:SECRET}" }
          models:
            claude-sonnet-4-5:
              routes: [ { upstream: east, model: us.anthropic.claude-sonnet-4-5-20250929-v1:0 } ]
          apiKeys:
            - { id: k1, user: alice, key: "${env:KEY}" }

        """;

    private static GatewayConfigResult Parse(string usage) =>
        GatewayConfigReader.Parse(Base + usage, "/etc/basalt/gw.yaml", new SecretReferenceResolver("/etc/basalt", n => Env.GetValueOrDefault(n)));

    [Fact]
    public void Without_a_usage_section_usage_is_on_with_an_embedded_SQLite_file_journal_and_audit_log_beside_the_configuration()
    {
        var result = Parse(string.Empty);

        Assert.False(result.HasErrors, string.Join('\n', result.Diagnostics));
        var usage = result.Options!.Usage;
        Assert.True(usage.Enabled);
        Assert.Equal("sqlite", usage.Options!.StoreKind);
        Assert.Equal("/etc/basalt/basalt-data/usage.db", usage.Options.StoreTarget);
        Assert.Equal("/etc/basalt/basalt-data/journal", usage.Options.JournalDirectory);
        Assert.Equal(TimeSpan.FromSeconds(1), usage.Options.JournalSyncInterval);
        Assert.Equal("/etc/basalt/basalt-data/audit.jsonl", usage.Options.AuditPath);
        Assert.False(usage.Options.Limits.FailOpen);
        Assert.False(usage.Options.SharedLimits);
        Assert.Null(usage.Export);
    }

    [Fact]
    public void Enabled_false_is_the_off_switch()
    {
        var result = Parse("  usage: { enabled: false }\n");

        Assert.False(result.HasErrors, string.Join('\n', result.Diagnostics));
        Assert.False(result.Options!.Usage.Enabled);
        Assert.Null(result.Options.Usage.Options);
    }

    [Fact]
    public void A_full_section_maps_store_budgets_limits_prices_admin_and_otlp_export()
    {
        var result = Parse("""
              usage:
                store: { postgresql: "${env:PG}" }
                journal: /var/lib/basalt/journal
                journalSyncInterval: 0
                onStoreOutage: admit
                retention: 30d
                audit: "-"
                prices:
                  claude-sonnet-4-5: { input: 3, output: 15, cacheRead: 0.30, cacheWrite5m: 3.75, cacheWrite1h: 6 }
                fallbackPrice: { input: 10, output: 50 }
                budgets:
                  - { id: daily-user, scope: user, period: day, usd: 1.00, softPercent: 75, timeZone: Europe/Paris }
                  - { id: eng-month, scope: group, value: engineering, period: month, tokens: 5000000 }
                rateLimits:
                  - { scope: user, requestsPerMinute: 60, inputTokensPerMinute: 100000, outputTokensPerMinute: 20000, concurrentStreams: 4 }
                admin:
                  keys: [ "${env:ADMIN}" ]
                  groups: [ platform-admins ]
                metrics: { public: true }
                otlp: { endpoint: "http://127.0.0.1:4318", interval: 15s, headers: { x-tenant: acme } }
            """);

        Assert.False(result.HasErrors, string.Join('\n', result.Diagnostics));
        var usage = result.Options!.Usage;
        var o = usage.Options!;
        Assert.Equal(("postgresql", Env["PG"]), (o.StoreKind, o.StoreTarget));
        Assert.True(o.SharedLimits);
        Assert.True(o.Limits.FailOpen);
        Assert.Equal(TimeSpan.FromDays(30), o.RawRetention);
        Assert.Equal("-", o.AuditPath);
        Assert.Equal("/var/lib/basalt/journal", o.JournalDirectory);
        Assert.Equal(TimeSpan.Zero, o.JournalSyncInterval);
        Assert.Equal(0.30m, o.PriceOverrides["claude-sonnet-4-5"].CacheReadPerMTok);
        Assert.Equal(50m, o.FallbackPrice!.OutputPerMTok);
        var daily = o.Limits.Budgets[0];
        Assert.Equal((UsageDimension.User, "*", BudgetPeriod.Day, 1.00m, 75, "Europe/Paris"), (daily.Scope, daily.ScopeValue, daily.Period, daily.LimitUsd!.Value, daily.SoftPercent, daily.TimeZone));
        Assert.Equal(5_000_000, o.Limits.Budgets[1].LimitTokens);
        var rl = Assert.Single(o.Limits.RateLimits);
        Assert.Equal((60L, 100_000L, 20_000L, 4), (rl.RequestsPerMinute!.Value, rl.InputTokensPerMinute!.Value, rl.OutputTokensPerMinute!.Value, rl.ConcurrentStreams!.Value));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("bsk_admin_key"u8)), Convert.ToHexStringLower(Assert.Single(usage.AdminKeySha256)));
        Assert.Equal(["platform-admins"], usage.AdminGroups);
        Assert.True(usage.PublicMetrics);
        Assert.Equal(new Uri("http://127.0.0.1:4318"), usage.Export!.Endpoint);
        Assert.Equal(TimeSpan.FromSeconds(15), usage.Export.Interval);
        Assert.Equal("acme", usage.Export.Headers["x-tenant"]);
    }

    [Fact]
    public void An_inline_PostgreSQL_connection_string_is_refused_without_echoing_it()
    {
        var result = Parse("  usage:\n    store: { postgresql: \"Host=db;Password=inline-pg-password\" }\n");

        Assert.True(result.HasErrors);
        var d = Assert.Single(result.Diagnostics, d => d.IsError);
        Assert.Contains("gateway.usage.store.postgresql", d.ToString(), StringComparison.Ordinal);
        Assert.Contains("reference such as ${env:NAME}", d.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("inline-pg-password", string.Join('\n', result.Diagnostics), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("    budgets: [ { id: b, scope: user, period: fortnight, usd: 5 } ]\n", "gateway.usage.budgets[0].period", "one of: day, week, month")]
    [InlineData("    budgets: [ { id: b, scope: user, period: day } ]\n", "gateway.usage.budgets[0]", "a budget needs a limit")]
    [InlineData("    budgets: [ { id: b, scope: user, period: day, usd: 5, timeZone: Mars/Olympus } ]\n", "gateway.usage.budgets[0].timeZone", "not a time zone")]
    [InlineData("    rateLimits: [ { scope: user } ]\n", "gateway.usage.rateLimits[0]", "needs at least one of requestsPerMinute")]
    [InlineData("    prices: { claude-sonnet-4-5: { input: cheap, output: 15 } }\n", "gateway.usage.prices.claude-sonnet-4-5.input", "is not a price")]
    [InlineData("    sharedLimits: true\n", "gateway.usage.sharedLimits", "only be shared between replicas through a PostgreSQL store")]
    [InlineData("    onStoreOutage: ignore\n", "gateway.usage.onStoreOutage", "one of: refuse, admit")]
    [InlineData("    journalSyncInterval: 5m\n", "gateway.usage.journalSyncInterval", "expected a duration from")]
    [InlineData("    otlp: { endpoint: \"ftp://collector\" }\n", "gateway.usage.otlp.endpoint", "not an OTLP/HTTP endpoint")]
    [InlineData("    budget: []\n", "gateway.usage.budget", "did you mean 'budgets'?")]
    public void A_bad_usage_value_is_reported_with_its_key_path_and_what_was_expected(string usage, string path, string expected)
    {
        var result = Parse("  usage:\n" + usage);

        Assert.True(result.HasErrors || result.Diagnostics.Count > 0);
        var text = string.Join('\n', result.Diagnostics);
        Assert.Contains(path, text, StringComparison.Ordinal);
        Assert.Contains(expected, text, StringComparison.Ordinal);
        Assert.StartsWith("/etc/basalt/gw.yaml:", result.Diagnostics[0].ToString(), StringComparison.Ordinal);
    }
}
