using System.Globalization;
using System.Text.Json;
using Basalt.Identity.ApiKeys;

namespace Basalt.Gateway.Dashboard;

/// <summary>
/// Managed API keys through the one <see cref="ApiKeyService"/> (the same as <c>basalt gateway keys</c>): listed
/// without secrets; created and rotated with the key text in that one answer only; revoked. This replica forgets a
/// revoked key at once; others within the key authenticator's cache lifetime. Every change is audited by key id.
/// </summary>
internal sealed class KeysApi(DashboardServices services)
{
    private static readonly string[] Columns = ["id", "prefix", "name", "ownerKind", "owner", "createdAt", "expiresAt", "revokedAt", "lastUsedAt", "rotatedFrom", "allowedModels", "status"];

    public async Task<DashboardResult> ListAsync(DashboardRequest r)
    {
        var paging = r.Paging("createdAt", Columns);
        var statusFilter = r.Choice("status", "all", "all", "active", "revoked", "expired");
        if (services.Keys is not { } keys)
        {
            return DashboardResult.Of(new DashboardTable("keys", Columns, [], 0, paging) { Extra = [new("enabled", false)] });
        }

        var scope = r.Session.Scope;
        var q = r.Get("q");
        var rows = (await keys.ListAsync(r.Aborted).ConfigureAwait(false))
            .Where(k => statusFilter == "all" || Status(k, r.Now) == statusFilter)
            .Where(k => q is null || k.Name.Contains(q, StringComparison.OrdinalIgnoreCase) || k.Owner.Contains(q, StringComparison.OrdinalIgnoreCase) || k.Prefix.Contains(q, StringComparison.Ordinal))
            .Where(k => scope is null || (k.OwnerKind == ApiKeyOwnerKind.Team && scope.Contains(k.Owner, StringComparer.Ordinal)))
            .Select(k => Row(k, r.Now))
            .ToList();
        return DashboardResult.Of(new DashboardTable("keys", Columns, paging.SortAndPage(rows, Columns), rows.Count, paging) { Extra = [new("enabled", true)] });
    }

    public async Task<DashboardResult> CreateAsync(DashboardRequest r)
    {
        var keys = Keys();
        var body = await r.BodyAsync().ConfigureAwait(false);
        var name = DashboardRequest.BodyText(body, "name") ?? throw DashboardException.BadRequest("'name' is missing: a name that says what the key is for (e.g. ci-pipeline)");
        var kind = (DashboardRequest.BodyText(body, "ownerKind") ?? "user") switch
        {
            "user" => ApiKeyOwnerKind.User,
            "team" => ApiKeyOwnerKind.Team,
            var other => throw DashboardException.BadRequest($"'ownerKind: {other}' is not allowed; expected user or team"),
        };
        var owner = DashboardRequest.BodyText(body, "owner") ?? throw DashboardException.BadRequest("'owner' is missing: the user id (ownerKind user) or the group (ownerKind team) the key acts as");
        DateTimeOffset? expires = null;
        if (DashboardRequest.BodyText(body, "expiresAt") is { } e)
        {
            expires = DateTimeOffset.TryParse(e, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) && at > r.Now
                ? at : throw DashboardException.BadRequest("'expiresAt' must be a future ISO 8601 time (e.g. 2027-03-01T00:00:00Z) or null");
        }

        var models = new List<string>();
        if (body.TryGetProperty("allowedModels", out var list) && list.ValueKind != JsonValueKind.Null)
        {
            if (list.ValueKind != JsonValueKind.Array || list.EnumerateArray().Any(m => m.ValueKind != JsonValueKind.String))
            {
                throw DashboardException.BadRequest("'allowedModels' must be a list of model ids (empty = every model the owner's groups allow)");
            }

            models.AddRange(list.EnumerateArray().Select(m => m.GetString()!));
            if (models.FirstOrDefault(m => !services.Options.Models.Any(x => x.Id == m)) is { } unknown)
            {
                throw DashboardException.BadRequest($"'{unknown}' is not a model of this gateway; expected one of {string.Join(", ", services.Options.Models.Select(m => m.Id))}");
            }
        }

        var (key, text) = await keys.CreateAsync(name, kind, owner, expires, models, r.Aborted).ConfigureAwait(false);
        await services.AuditAsync("key.create", r.Session, key.Id, r.Aborted, ("name", name), ("ownerKind", kind.ToString().ToLowerInvariant()), ("owner", owner), ("expiresAt", expires)).ConfigureAwait(false);
        return new DashboardResult(201, KeyJson(key, text, null, r.Now));
    }

    public async Task<DashboardResult> RotateAsync(DashboardRequest r, string id)
    {
        var keys = Keys();
        (ManagedApiKey Key, string Text) rotated;
        try
        {
            rotated = await keys.RotateAsync(id, r.Aborted).ConfigureAwait(false);
        }
        catch (KeyNotFoundException)
        {
            throw DashboardException.NotFound($"no managed API key with id '{id}'");
        }
        catch (InvalidOperationException ex)
        {
            throw DashboardException.Conflict(ex.Message);
        }

        services.KeyCache?.ForgetId(id);
        await services.AuditAsync("key.rotate", r.Session, rotated.Key.Id, r.Aborted, ("revoked", id)).ConfigureAwait(false);
        return DashboardResult.Ok(KeyJson(rotated.Key, rotated.Text, id, r.Now));
    }

    public async Task<DashboardResult> RevokeAsync(DashboardRequest r, string id)
    {
        var keys = Keys();
        if (!await keys.RevokeAsync(id, r.Aborted).ConfigureAwait(false))
        {
            throw DashboardException.NotFound($"no active managed API key with id '{id}'");
        }

        services.KeyCache?.ForgetId(id);
        await services.AuditAsync("key.revoke", r.Session, id, r.Aborted).ConfigureAwait(false);
        var key = (await keys.ListAsync(r.Aborted).ConfigureAwait(false)).First(k => k.Id == id);
        return DashboardResult.Ok(KeyJson(key, null, null, r.Now));
    }

    private ApiKeyService Keys() => services.Keys ?? throw DashboardException.Conflict("managed API keys are off in this gateway (identity.managedKeys is not configured)");

    private static byte[] KeyJson(ManagedApiKey key, string? text, string? revoked, DateTimeOffset now) => DashboardWriter.Build(w =>
    {
        w.WriteStartObject("key");
        var row = Row(key, now);
        for (var i = 0; i < Columns.Length; i++)
        {
            DashboardWriter.Value(w, Columns[i], row[i]);
        }

        w.WriteEndObject();
        if (text is not null)
        {
            // Shown once: the store keeps only a salted hash.
            w.WriteString("text", text);
        }

        if (revoked is not null)
        {
            w.WriteString("revoked", revoked);
        }
    });

    private static object?[] Row(ManagedApiKey k, DateTimeOffset now) =>
    [
        k.Id, k.Prefix, k.Name, k.OwnerKind.ToString().ToLowerInvariant(), k.Owner, k.CreatedAt, k.ExpiresAt, k.RevokedAt, k.LastUsedAt, k.RotatedFrom, k.AllowedModels, Status(k, now),
    ];

    private static string Status(ManagedApiKey k, DateTimeOffset now) => k.RevokedAt is not null ? "revoked" : k.ExpiresAt is { } e && e <= now ? "expired" : "active";


}
