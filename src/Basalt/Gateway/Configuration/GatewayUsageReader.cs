using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Basalt.Deployment;
using Basalt.Diagnostics;
using Basalt.Diagnostics.Reading;
using Basalt.Usage.Budgets;
using Basalt.Usage.Hosting;
using Basalt.Usage.Limits;
using Basalt.Usage.Pricing;
using Basalt.Usage.Stores;

namespace Basalt.Gateway.Configuration;

/// <summary>
/// Reads <c>gateway.usage</c> (issue 10). With no section at all usage is on with an embedded SQLite store, its
/// journal and audit log in <c>basalt-data/</c> beside the configuration file, so a gateway started with no setup
/// still records every request durably. PostgreSQL (several replicas) is given by a <c>${env:}</c>/<c>${file:}</c>
/// reference because its connection string may hold a password; limits are then shared through it.
/// </summary>
internal static class GatewayUsageReader
{
    private static readonly string[] UsageKeys = ["enabled", "dataDir", "store", "journal", "journalSyncInterval", "sharedLimits", "onStoreOutage", "retention", "audit", "prices", "fallbackPrice", "budgets", "rateLimits", "admin", "metrics", "otlp"];
    private static readonly string[] StoreKeys = ["sqlite", "postgresql"];
    private static readonly string[] PriceKeys = ["input", "output", "cacheRead", "cacheWrite5m", "cacheWrite1h"];
    private static readonly string[] BudgetKeys = ["id", "scope", "value", "period", "usd", "tokens", "softPercent", "timeZone"];
    private static readonly string[] RateKeys = ["scope", "value", "requestsPerMinute", "inputTokensPerMinute", "outputTokensPerMinute", "concurrentStreams"];
    private static readonly string[] AdminKeys = ["keys", "sha256", "groups"];
    private static readonly string[] MetricsKeys = ["public"];
    private static readonly string[] OtlpKeys = ["endpoint", "protocol", "interval", "headers"];
    private static readonly string[] Scopes = ["user", "group", "key", "org"];
    private static readonly string[] Periods = ["day", "week", "month"];

    internal static GatewayUsage Read(FieldReader context, InputNode section, string prefix, string file)
    {
        var path = FieldReader.Join(prefix, "usage");
        var node = context.Mapping(section, "usage", prefix);
        var folder = Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".";
        if (node is null)
        {
            return section.Get("usage") is { IsNull: false } ? GatewayUsage.Disabled : Defaults(folder, "basalt-data");
        }

        context.CheckKeys(node, path, UsageKeys);
        if (context.Bool(node, "enabled", path) == false)
        {
            return GatewayUsage.Disabled;
        }

        var dataDir = Resolve(folder, context.String(node, "dataDir", path)?.Value ?? "basalt-data");
        var (kind, target) = ReadStore(context, node, path, folder, dataDir);
        var journal = context.String(node, "journal", path)?.Value is { } j ? Resolve(folder, j) : Path.Combine(dataDir, "journal");
        var audit = context.String(node, "audit", path)?.Value is { } a ? a == "-" ? "-" : Resolve(folder, a) : Path.Combine(dataDir, "audit.jsonl");
        var outage = context.Choice(node, "onStoreOutage", path, ["refuse", "admit"], "refuse");
        var retentionNode = node.Get("retention");
        TimeSpan? retention = TimeSpan.FromDays(90);
        if (retentionNode is { Kind: InputNodeKind.Scalar, Scalar: "forever" })
        {
            retention = null;
        }
        else if (context.Duration(node, "retention", path, TimeSpan.FromDays(1), TimeSpan.FromDays(36500)) is { } keep)
        {
            retention = keep;
        }

        var prices = new Dictionary<string, TokenPrices>(StringComparer.OrdinalIgnoreCase);
        if (context.Mapping(node, "prices", path) is { } pricesNode)
        {
            foreach (var (k, v) in pricesNode.Entries)
            {
                var model = k.Scalar ?? string.Empty;
                if (ReadPrice(context, v, FieldReader.Join(FieldReader.Join(path, "prices"), model), "override") is { } price)
                {
                    prices[model] = price;
                }
            }
        }

        var fallback = node.Get("fallbackPrice") is { IsNull: false } f ? ReadPrice(context, f, FieldReader.Join(path, "fallbackPrice"), "fallback") : null;
        var limits = new UsageLimitsOptions
        {
            Budgets = ReadBudgets(context, node, path),
            RateLimits = ReadRateLimits(context, node, path),
            FailOpen = outage == "admit",
        };
        var options = new UsageOptions
        {
            StoreKind = kind,
            StoreTarget = target,
            JournalDirectory = journal,
            PriceOverrides = prices,
            FallbackPrice = fallback,
            Limits = limits,
            RawRetention = retention,
            AuditPath = audit,
            JournalSyncInterval = context.Duration(node, "journalSyncInterval", path, TimeSpan.Zero, TimeSpan.FromSeconds(60)) ?? TimeSpan.FromSeconds(1),
            SharedLimits = context.Bool(node, "sharedLimits", path) ?? kind == "postgresql",
        };
        if (options.SharedLimits && kind != "postgresql")
        {
            context.Error(DeploymentDiagnosticCodes.InvalidValue, node.Get("sharedLimits")!, FieldReader.Join(path, "sharedLimits"),
                "limits can only be shared between replicas through a PostgreSQL store", "set 'store: { postgresql: ${env:VAR} }' or remove 'sharedLimits: true'");
        }

        var (adminKeys, adminGroups) = ReadAdmin(context, node, path);
        var metrics = context.Mapping(node, "metrics", path);
        if (metrics is not null)
        {
            context.CheckKeys(metrics, FieldReader.Join(path, "metrics"), MetricsKeys);
        }

        return new GatewayUsage
        {
            Enabled = true,
            Options = options,
            AdminKeySha256 = adminKeys,
            AdminGroups = adminGroups,
            PublicMetrics = metrics is not null && context.Bool(metrics, "public", FieldReader.Join(path, "metrics")) == true,
            Export = ReadOtlp(context, node, path),
        };
    }

    private static GatewayUsage Defaults(string folder, string dataDir)
    {
        var dir = Resolve(folder, dataDir);
        return new GatewayUsage
        {
            Enabled = true,
            Options = new UsageOptions
            {
                StoreTarget = Path.Combine(dir, "usage.db"),
                JournalDirectory = Path.Combine(dir, "journal"),
                AuditPath = Path.Combine(dir, "audit.jsonl"),
            },
        };
    }

    private static string Resolve(string folder, string value) => Path.GetFullPath(Path.Combine(folder, value));

    private static (string Kind, string Target) ReadStore(FieldReader context, InputNode node, string path, string folder, string dataDir)
    {
        var sqliteDefault = ("sqlite", Path.Combine(dataDir, "usage.db"));
        var store = context.Mapping(node, "store", path);
        if (store is null)
        {
            return sqliteDefault;
        }

        var storePath = FieldReader.Join(path, "store");
        context.CheckKeys(store, storePath, StoreKeys);
        var sqlite = context.String(store, "sqlite", storePath);
        // The connection string may hold a password: only by reference, and never echoed in messages.
        var pg = context.String(store, "postgresql", storePath, secret: true);
        if (sqlite is not null && store.Get("postgresql") is not null)
        {
            context.Error(DeploymentDiagnosticCodes.InvalidValue, store, storePath, "a usage store is either 'sqlite:' or 'postgresql:', not both",
                "keep 'sqlite: FILE' for one gateway, or 'postgresql: ${env:VAR}' for several replicas");
            return sqliteDefault;
        }

        if (pg is not null)
        {
            return ("postgresql", pg.Value);
        }

        return sqlite is not null ? ("sqlite", Resolve(folder, sqlite.Value)) : sqliteDefault;
    }

    private static TokenPrices? ReadPrice(FieldReader context, InputNode node, string path, string what)
    {
        if (node.Kind != InputNodeKind.Mapping)
        {
            context.Error(DeploymentDiagnosticCodes.WrongType, node, path, $"expected a mapping of USD per million tokens, found {node.Describe()}",
                "write '{ input: 3, output: 15, cacheRead: 0.3, cacheWrite5m: 3.75, cacheWrite1h: 6 }'");
            return null;
        }

        context.CheckKeys(node, path, PriceKeys);
        decimal? Price(string key)
        {
            var value = context.String(node, key, path);
            if (value is null)
            {
                return null;
            }

            // Prices are decimal end to end (issue 10 item 2: never float).
            if (decimal.TryParse(value.Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d) && d >= 0 && d <= 1_000_000)
            {
                return d;
            }

            context.Error(DeploymentDiagnosticCodes.InvalidValue, node.Get(key)!, FieldReader.Join(path, key), $"'{value.Value}' is not a price; expected USD per million tokens, e.g. 3 or 0.30",
                $"write '{key}: 3.75' (a non-negative decimal number)");
            return null;
        }

        var prices = new TokenPrices(Price("input"), Price("output"), Price("cacheRead"), Price("cacheWrite5m"), Price("cacheWrite1h"), $"configuration ({what})");
        if (!prices.IsComplete)
        {
            context.Error(DeploymentDiagnosticCodes.MissingKey, node, path, "a price needs at least 'input:' and 'output:' (USD per million tokens)", "add 'input: 3, output: 15' (and cache prices if known)");
            return null;
        }

        return prices;
    }

    private static List<BudgetDefinition> ReadBudgets(FieldReader context, InputNode node, string path)
    {
        var result = new List<BudgetDefinition>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (item, itemPath) in context.MappingItems(node, "budgets", path))
        {
            context.CheckKeys(item, itemPath, BudgetKeys);
            var id = context.String(item, "id", itemPath, required: true, fix: "add 'id: NAME' (named in refusals, reports and 'basalt budgets')");
            var scope = context.Choice(item, "scope", itemPath, Scopes, required: true);
            var value = context.String(item, "value", itemPath)?.Value ?? "*";
            var period = context.Choice(item, "period", itemPath, Periods, required: true);
            var usd = context.String(item, "usd", itemPath);
            decimal? limitUsd = null;
            if (usd is not null)
            {
                if (decimal.TryParse(usd.Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d) && d > 0)
                {
                    limitUsd = d;
                }
                else
                {
                    context.Error(DeploymentDiagnosticCodes.InvalidValue, item.Get("usd")!, FieldReader.Join(itemPath, "usd"), $"'{usd.Value}' is not an amount; expected US dollars greater than 0", "write 'usd: 100' or 'usd: 2.50'");
                }
            }

            var tokens = context.Int(item, "tokens", itemPath, 1, int.MaxValue);
            if (usd is null && tokens is null)
            {
                context.Error(DeploymentDiagnosticCodes.MissingKey, item, itemPath, "a budget needs a limit: 'usd:' and/or 'tokens:'", "add 'usd: 100' (per period) or 'tokens: 5000000'");
            }

            var soft = context.Int(item, "softPercent", itemPath, 1, 100) ?? 80;
            var zone = context.String(item, "timeZone", itemPath);
            if (zone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(zone.Value, out _))
            {
                context.Error(DeploymentDiagnosticCodes.InvalidValue, item.Get("timeZone")!, FieldReader.Join(itemPath, "timeZone"), $"'{zone.Value}' is not a time zone known to this system", "use an IANA id such as Europe/Paris or America/New_York (or UTC)");
                zone = null;
            }

            if (id is not null && !ids.Add(id.Value))
            {
                context.Error(DeploymentDiagnosticCodes.InvalidValue, item.Get("id")!, FieldReader.Join(itemPath, "id"), $"two budgets have the id '{id.Value}'", "give every budget its own id");
            }

            if (id is not null && scope is not null && period is not null && (limitUsd is not null || tokens is not null))
            {
                result.Add(new BudgetDefinition
                {
                    Id = id.Value,
                    Scope = Enum.Parse<UsageDimension>(scope, ignoreCase: true),
                    ScopeValue = value,
                    Period = Enum.Parse<BudgetPeriod>(period, ignoreCase: true),
                    LimitUsd = limitUsd,
                    LimitTokens = tokens,
                    SoftPercent = soft,
                    TimeZone = zone?.Value ?? "UTC",
                });
            }
        }

        return result;
    }

    private static List<RateLimitDefinition> ReadRateLimits(FieldReader context, InputNode node, string path)
    {
        var result = new List<RateLimitDefinition>();
        foreach (var (item, itemPath) in context.MappingItems(node, "rateLimits", path))
        {
            context.CheckKeys(item, itemPath, RateKeys);
            var scope = context.Choice(item, "scope", itemPath, Scopes, required: true);
            var rpm = context.Int(item, "requestsPerMinute", itemPath, 1, int.MaxValue);
            var itpm = context.Int(item, "inputTokensPerMinute", itemPath, 1, int.MaxValue);
            var otpm = context.Int(item, "outputTokensPerMinute", itemPath, 1, int.MaxValue);
            var streams = context.Int(item, "concurrentStreams", itemPath, 1, 1_000_000);
            if (rpm is null && itpm is null && otpm is null && streams is null)
            {
                context.Error(DeploymentDiagnosticCodes.MissingKey, item, itemPath, "a rate limit needs at least one of requestsPerMinute, inputTokensPerMinute, outputTokensPerMinute, concurrentStreams",
                    "add e.g. 'requestsPerMinute: 60'");
                continue;
            }

            if (scope is not null)
            {
                result.Add(new RateLimitDefinition
                {
                    Scope = Enum.Parse<UsageDimension>(scope, ignoreCase: true),
                    ScopeValue = context.String(item, "value", itemPath)?.Value ?? "*",
                    RequestsPerMinute = rpm,
                    InputTokensPerMinute = itpm,
                    OutputTokensPerMinute = otpm,
                    ConcurrentStreams = streams,
                });
            }
        }

        return result;
    }

    private static (List<byte[]> Keys, List<string> Groups) ReadAdmin(FieldReader context, InputNode node, string path)
    {
        var keys = new List<byte[]>();
        var admin = context.Mapping(node, "admin", path);
        if (admin is null)
        {
            return (keys, []);
        }

        var adminPath = FieldReader.Join(path, "admin");
        context.CheckKeys(admin, adminPath, AdminKeys);
        if (admin.Get("keys") is { IsNull: false } list)
        {
            var items = list.Kind == InputNodeKind.Sequence ? list.Items : [list];
            for (var i = 0; i < items.Count; i++)
            {
                // Admin keys are credentials: by reference only, hashed at once, never kept in clear.
                if (context.Scalar(items[i], $"{FieldReader.Join(adminPath, "keys")}[{i}]", secret: true) is { } key)
                {
                    keys.Add(SHA256.HashData(Encoding.UTF8.GetBytes(key.Value)));
                }
            }
        }

        foreach (var sha in context.StringList(admin, "sha256", adminPath) ?? [])
        {
            if (sha.Value.Length == 64 && sha.Value.All(char.IsAsciiHexDigit))
            {
                keys.Add(Convert.FromHexString(sha.Value));
            }
            else
            {
                context.Diagnostics.Add(new Diagnostic(DiagnosticSeverity.Error, GatewayDiagnosticCodes.BadApiKeyHash, "expected an admin key's SHA-256 as 64 hexadecimal digits",
                    FieldReader.Join(adminPath, "sha256"), sha.Location, "compute it with 'printf %s KEY | sha256sum'"));
            }
        }

        var groups = context.StringList(admin, "groups", adminPath)?.Select(g => g.Value).ToList() ?? [];
        return (keys, groups);
    }

    private static GatewayUsageExport? ReadOtlp(FieldReader context, InputNode node, string path)
    {
        var otlp = context.Mapping(node, "otlp", path);
        if (otlp is null)
        {
            return null;
        }

        var otlpPath = FieldReader.Join(path, "otlp");
        context.CheckKeys(otlp, otlpPath, OtlpKeys);
        var endpoint = context.String(otlp, "endpoint", otlpPath, required: true, fix: "add 'endpoint: http://collector:4318' (the OTLP/HTTP base URL)");
        Uri? uri = null;
        if (endpoint is not null && (!Uri.TryCreate(endpoint.Value, UriKind.Absolute, out uri) || uri.Scheme is not ("http" or "https")))
        {
            context.Error(GatewayDiagnosticCodes.BadEndpoint, otlp.Get("endpoint")!, FieldReader.Join(otlpPath, "endpoint"), $"'{endpoint.Value}' is not an OTLP/HTTP endpoint; expected http(s)://HOST:PORT", "write e.g. 'endpoint: http://127.0.0.1:4318'");
            uri = null;
        }

        // The .NET OTLP exporter speaks http/protobuf and grpc (not http/json).
        var protocol = context.Choice(otlp, "protocol", otlpPath, ["http/protobuf", "grpc"], "http/protobuf")!;
        var interval = context.Duration(otlp, "interval", otlpPath, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)) ?? TimeSpan.FromSeconds(60);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (context.Mapping(otlp, "headers", otlpPath) is { } h)
        {
            foreach (var (k, v) in h.Entries)
            {
                if (context.Scalar(v, FieldReader.Join(FieldReader.Join(otlpPath, "headers"), k.Scalar ?? string.Empty)) is { } value)
                {
                    headers[k.Scalar ?? string.Empty] = value.Value;
                }
            }
        }

        return uri is null ? null : new GatewayUsageExport(uri, protocol, interval, headers);
    }
}
