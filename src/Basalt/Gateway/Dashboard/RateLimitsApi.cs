using System.Globalization;
using System.Text.Json;
using Basalt.Usage.Limits;
using Basalt.Usage.Stores;

namespace Basalt.Gateway.Dashboard;

/// <summary>
/// Rate limits (issue 11 item 1): listed as in force (the configuration's, each replaced by a store limit with the
/// same id); set and deleted by admins in the usage store, so every replica's admission enforces them (this replica
/// from the next request, the others within the limits refresh). A limit's id is <c>scope:value</c>
/// (<c>user:bob</c>, <c>group:*</c>, <c>org:*</c>): one limit per scope and value. Every change is audited with the
/// previous and new figures.
/// </summary>
internal sealed class RateLimitsApi(DashboardServices services)
{
    private static readonly string[] Columns = ["id", "scope", "value", "requestsPerMinute", "inputTokensPerMinute", "outputTokensPerMinute", "concurrentStreams", "source"];
    private static readonly string[] Scopes = ["user", "group", "key", "org"];
    private static readonly string[] Fields = ["requestsPerMinute", "inputTokensPerMinute", "outputTokensPerMinute", "concurrentStreams"];

    public async Task<DashboardResult> ListAsync(DashboardRequest r)
    {
        var paging = r.Paging("scope", Columns, defaultDescending: false);
        var scope = r.Session.Scope;
        var stored = (await services.Usage.Store.ListRateLimitsAsync(r.Aborted).ConfigureAwait(false)).Select(l => l.Id).ToHashSet(StringComparer.Ordinal);
        var rows = (await services.Usage.Admission.RateLimitsAsync(r.Aborted).ConfigureAwait(false))
            .Where(l => scope is null || l.Scope == UsageDimension.Group && (l.ScopeValue == "*" || scope.Contains(l.ScopeValue, StringComparer.Ordinal)))
            .Select(l => Row(l, stored.Contains(l.Id) ? "store" : "config"))
            .ToList();
        return DashboardResult.Of(new DashboardTable("rate-limits", Columns, paging.SortAndPage(rows, Columns), rows.Count, paging));
    }

    public async Task<DashboardResult> SetAsync(DashboardRequest r, string id)
    {
        var (scope, value) = ParseId(id);
        var body = await r.BodyAsync().ConfigureAwait(false);
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw DashboardException.BadRequest($"the body must be a JSON object with one or more of {string.Join(", ", Fields)}");
        }

        foreach (var property in body.EnumerateObject())
        {
            if (!Fields.Contains(property.Name, StringComparer.Ordinal) && property.Name is not ("scope" or "value" or "id"))
            {
                throw DashboardException.BadRequest($"'{property.Name}' is not a rate limit field; expected {string.Join(", ", Fields)}");
            }
        }

        // scope/value in the body (as the list returns them) must name the same limit as the URL.
        if (DashboardRequest.BodyText(body, "scope") is { } s && s != DimName(scope) || DashboardRequest.BodyText(body, "value") is { } v && v != value)
        {
            throw DashboardException.BadRequest($"the body's scope/value do not match the id '{id}' in the URL; the id is 'scope:value'");
        }

        var existing = (await services.Usage.Admission.RateLimitsAsync(r.Aborted).ConfigureAwait(false)).FirstOrDefault(l => l.Id == IdOf(scope, value));
        var limit = new RateLimitDefinition
        {
            Scope = scope,
            ScopeValue = value,
            RequestsPerMinute = Whole(body, "requestsPerMinute", int.MaxValue),
            InputTokensPerMinute = Whole(body, "inputTokensPerMinute", int.MaxValue),
            OutputTokensPerMinute = Whole(body, "outputTokensPerMinute", int.MaxValue),
            ConcurrentStreams = (int?)Whole(body, "concurrentStreams", 1_000_000),
        };
        if (limit is { RequestsPerMinute: null, InputTokensPerMinute: null, OutputTokensPerMinute: null, ConcurrentStreams: null })
        {
            throw DashboardException.BadRequest($"a rate limit needs at least one of {string.Join(", ", Fields)} (a whole number); to remove the limit, DELETE it");
        }

        await services.Usage.Store.SetRateLimitAsync(limit, r.Aborted).ConfigureAwait(false);
        services.Usage.Admission.InvalidateRateLimits();
        await services.AuditAsync("rate_limit.set", r.Session, limit.Id, r.Aborted,
            ("scope", DimName(scope)), ("value", value),
            ("requestsPerMinute", limit.RequestsPerMinute), ("inputTokensPerMinute", limit.InputTokensPerMinute),
            ("outputTokensPerMinute", limit.OutputTokensPerMinute), ("concurrentStreams", (long?)limit.ConcurrentStreams),
            ("previous", existing is null ? null : Describe(existing))).ConfigureAwait(false);
        return DashboardResult.Ok(DashboardWriter.Build(w => Write(w, limit, "store")));
    }

    public async Task<DashboardResult> DeleteAsync(DashboardRequest r, string id)
    {
        var (scope, value) = ParseId(id);
        var key = IdOf(scope, value);
        var previous = (await services.Usage.Store.ListRateLimitsAsync(r.Aborted).ConfigureAwait(false)).FirstOrDefault(l => l.Id == key);
        if (previous is null || !await services.Usage.Store.DeleteRateLimitAsync(key, r.Aborted).ConfigureAwait(false))
        {
            throw services.Usage.ConfiguredRateLimits.Any(l => l.Id == key)
                ? DashboardException.Conflict($"rate limit '{key}' is in the configuration file ({services.Options.Source}); edit it there, or override it here with PUT")
                : DashboardException.NotFound($"no rate limit '{key}' in the store");
        }

        services.Usage.Admission.InvalidateRateLimits();
        var restored = services.Usage.ConfiguredRateLimits.FirstOrDefault(l => l.Id == key);
        await services.AuditAsync("rate_limit.delete", r.Session, key, r.Aborted,
            ("previous", Describe(previous)), ("now", restored is null ? "no limit" : "configured: " + Describe(restored))).ConfigureAwait(false);
        return DashboardResult.NoContent;
    }

    private static (UsageDimension Scope, string Value) ParseId(string id)
    {
        var colon = id.IndexOf(':', StringComparison.Ordinal);
        var scope = colon < 0 ? id : id[..colon];
        if (colon < 0 || !Scopes.Contains(scope, StringComparer.Ordinal))
        {
            throw DashboardException.BadRequest($"'{id}' is not a rate limit id; expected 'scope:value' with scope one of {string.Join(", ", Scopes)} (e.g. user:bob, group:*, org:*)");
        }

        var value = id[(colon + 1)..];
        if (value.Length is 0 or > 200 || value.Any(char.IsControl) || scope == "group" && value.Contains('|', StringComparison.Ordinal))
        {
            throw DashboardException.BadRequest($"'{value}' is not a {scope} to limit; give its id (1-200 characters, no control characters{(scope == "group" ? ", no '|'" : string.Empty)}) or * for each {scope} separately");
        }

        if (scope == "org" && value != "*")
        {
            throw DashboardException.BadRequest($"an org rate limit applies to the whole organization; its id is 'org:*', not '{id}'");
        }

        return (Enum.Parse<UsageDimension>(scope, ignoreCase: true), value);
    }

    private static string IdOf(UsageDimension scope, string value) => new RateLimitDefinition { Scope = scope, ScopeValue = value }.Id;

    /// <summary>Absent or null → no limit of that kind; else a whole number from 1 to <paramref name="max"/>.</summary>
    private static long? Whole(JsonElement body, string name, long max)
    {
        if (!body.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) && n >= 1 && n <= max
            ? n
            : throw DashboardException.BadRequest($"'{name}' must be a whole number from 1 to {max.ToString("N0", CultureInfo.InvariantCulture)}, or null for no limit of that kind (got {v.GetRawText()})");
    }

    private static string Describe(RateLimitDefinition l) => string.Join(", ",
        new (string Name, long? Value)[] { ("rpm", l.RequestsPerMinute), ("itpm", l.InputTokensPerMinute), ("otpm", l.OutputTokensPerMinute), ("streams", l.ConcurrentStreams) }
            .Where(p => p.Value is not null)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Name} {p.Value}")));

    private static string DimName(UsageDimension d) => d.ToString().ToLowerInvariant();

    private static object?[] Row(RateLimitDefinition l, string source) =>
        [l.Id, DimName(l.Scope), l.ScopeValue, l.RequestsPerMinute, l.InputTokensPerMinute, l.OutputTokensPerMinute, (long?)l.ConcurrentStreams, source];

    private static void Write(Utf8JsonWriter w, RateLimitDefinition l, string source)
    {
        var row = Row(l, source);
        for (var i = 0; i < Columns.Length; i++)
        {
            DashboardWriter.Value(w, Columns[i], row[i]);
        }
    }
}
