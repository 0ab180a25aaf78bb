using System.CommandLine;
using System.Globalization;
using Basalt.Diagnostics.Reading;
using Basalt.Gateway.Configuration;
using Basalt.Identity.ApiKeys;
using Basalt.Identity.ApiKeys.Stores;
using Spectre.Console;

namespace Basalt.Cli.Commands;

/// <summary>
/// <c>basalt gateway keys create|list|rotate|revoke</c> (issue 9 item 5): managed API keys in the gateway's store,
/// found through the configuration's <c>identity.managedKeys</c> (or <c>--store FILE</c>). A thin host over
/// <see cref="ApiKeyService"/>. A new key's text goes to stdout once, alone on its line, so
/// <c>KEY=$(basalt gateway keys create …)</c> captures it; everything else goes to stderr. It is never written
/// anywhere else and cannot be shown again.
/// </summary>
internal static class GatewayKeysCommand
{
    public static Command Create()
    {
        var command = new Command("keys", "Managed API keys (bsk_…) of the gateway: create, list, rotate, revoke.");
        command.Subcommands.Add(CreateKey());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Rotate());
        command.Subcommands.Add(Revoke());
        return command;
    }

    private static Option<string> ConfigOption() => new("--config") { Description = "Gateway configuration whose 'identity.managedKeys' names the key store.", DefaultValueFactory = _ => "basalt.yaml" };

    private static Option<string?> StoreOption() => new("--store") { Description = "The key store (SQLite file) itself, instead of reading it from --config." };

    private static Command CreateKey()
    {
        var name = new Option<string>("--name") { Description = "What the key is for (shown in lists and usage), e.g. ci-pipeline.", Required = true };
        var user = new Option<string?>("--user") { Description = "The stable user id (oid/sub) the key speaks for." };
        var team = new Option<string?>("--team") { Description = "The team (gateway group) the key speaks for, for service accounts." };
        var expires = new Option<string?>("--expires") { Description = "Expiry: a duration (90d, 12h) or a UTC date (2027-03-31). Default: none." };
        var models = new Option<string[]>("--models") { Description = "Models the key may call (gateway ids or aliases); default: whatever its owner's groups allow.", AllowMultipleArgumentsPerToken = true };
        var (config, store) = (ConfigOption(), StoreOption());
        var command = new Command("create", "Create a key; its text is printed once on stdout and never again.");
        foreach (var o in new Option[] { name, user, team, expires, models, config, store })
        {
            command.Options.Add(o);
        }

        command.SetAction((ParseResult parse, CancellationToken ct) => DeployConsole.GuardAsync(CliConsole.Of(parse), async console =>
        {
            var (u, t) = (parse.GetValue(user), parse.GetValue(team));
            if (u is null == t is null)
            {
                console.Error.WriteLine("error: give exactly one of --user USER-ID (a person) or --team GROUP (a service account).");
                return 1;
            }

            var now = DateTimeOffset.UtcNow;
            DateTimeOffset? expiry = null;
            if (parse.GetValue(expires) is { } e)
            {
                if (ParseExpiry(e, now) is not { } at)
                {
                    console.Error.WriteLine($"error: --expires '{e}' is neither a duration (90d, 12h, 30m) nor a date (2027-03-31 or 2027-03-31T12:00:00Z).");
                    return 1;
                }

                expiry = at;
            }

            var (service, options) = await OpenAsync(console, parse.GetValue(config)!, parse.GetValue(store), ct).ConfigureAwait(false);
            if (service is null)
            {
                return 1;
            }

            var allowed = parse.GetValue(models)?.SelectMany(m => m.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList() ?? [];
            if (options is not null && !CheckModels(console, options, allowed))
            {
                return 1;
            }

            var (key, text) = await service.CreateAsync(parse.GetValue(name)!, u is not null ? ApiKeyOwnerKind.User : ApiKeyOwnerKind.Team, u ?? t!, expiry, allowed, ct).ConfigureAwait(false);
            console.Error.WriteLine($"Created {key.Prefix} ({key.Name}) for {Owner(key)}{(expiry is { } x ? $", expires {x:yyyy-MM-dd HH:mm} UTC" : string.Empty)}{(allowed.Count > 0 ? $", models: {string.Join(", ", allowed)}" : string.Empty)}.");
            console.Error.WriteLine("The key follows on stdout. It is shown only now: store it in a secret manager; Basalt keeps only a salted hash.");
            console.Out.WriteLine(text);
            return 0;
        }));
        return command;
    }

    private static Command List()
    {
        var all = new Option<bool>("--all") { Description = "Include revoked and expired keys." };
        var (config, store) = (ConfigOption(), StoreOption());
        var command = new Command("list", "Keys with owner, expiry and last use (never the key text).");
        foreach (var o in new Option[] { all, config, store })
        {
            command.Options.Add(o);
        }

        command.SetAction((ParseResult parse, CancellationToken ct) => DeployConsole.GuardAsync(CliConsole.Of(parse), async console =>
        {
            var (service, _) = await OpenAsync(console, parse.GetValue(config)!, parse.GetValue(store), ct).ConfigureAwait(false);
            if (service is null)
            {
                return 1;
            }

            var now = DateTimeOffset.UtcNow;
            var table = new Table().AddColumns("id", "prefix", "name", "owner", "status", "expires", "last used", "models");
            foreach (var k in await service.ListAsync(ct).ConfigureAwait(false))
            {
                if (!parse.GetValue(all) && !k.IsActive(now))
                {
                    continue;
                }

                var status = k.RevokedAt is not null ? "revoked" : k.IsActive(now) ? "active" : "expired";
                table.AddRow(k.Id, Markup.Escape(k.Prefix), Markup.Escape(k.Name), Markup.Escape(Owner(k)), status, Time(k.ExpiresAt, "never"), Time(k.LastUsedAt, "never"),
                    Markup.Escape(k.AllowedModels.Count == 0 ? "(groups)" : string.Join(", ", k.AllowedModels)));
            }

            UsageConsole.Ansi(console).Write(table);
            return 0;
        }));
        return command;
    }

    private static Command Rotate() => KeyCommand("rotate", "Replace a key by a new one with the same owner, models and expiry; the old key stops working.", async (service, keyId, console, ct) =>
    {
        ManagedApiKey key;
        string text;
        try
        {
            (key, text) = await service.RotateAsync(keyId, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException)
        {
            console.Error.WriteLine("error: " + e.Message);
            return 1;
        }

        console.Error.WriteLine($"Rotated: {ApiKeySecret.Prefix}{keyId} is revoked (gateways stop accepting it within {ManagedApiKeyAuthenticator.CacheLifetime.TotalSeconds:0} s); its replacement is {key.Prefix}.");
        console.Error.WriteLine("The new key follows on stdout. It is shown only now.");
        console.Out.WriteLine(text);
        return 0;
    });

    private static Command Revoke() => KeyCommand("revoke", "Revoke a key at once (gateways stop accepting it within seconds).", async (service, keyId, console, ct) =>
    {
        if (!await service.RevokeAsync(keyId, ct).ConfigureAwait(false))
        {
            console.Error.WriteLine($"error: no managed API key with id '{keyId}' (list them with: basalt gateway keys list)");
            return 1;
        }

        console.Out.WriteLine($"Revoked {ApiKeySecret.Prefix}{keyId}; gateways stop accepting it within {ManagedApiKeyAuthenticator.CacheLifetime.TotalSeconds:0} s.");
        return 0;
    });

    /// <summary>A command on one key: its id argument, the store options, the store opened, then <paramref name="action"/>.</summary>
    private static Command KeyCommand(string name, string description, Func<ApiKeyService, string, CliConsole, CancellationToken, Task<int>> action)
    {
        var id = new Argument<string>("id") { Description = "The key's id (the 12 hex digits after bsk_, as 'keys list' shows)." };
        var (config, store) = (ConfigOption(), StoreOption());
        var command = new Command(name, description);
        command.Arguments.Add(id);
        command.Options.Add(config);
        command.Options.Add(store);
        command.SetAction((ParseResult parse, CancellationToken ct) => DeployConsole.GuardAsync(CliConsole.Of(parse), async console =>
        {
            var (service, _) = await OpenAsync(console, parse.GetValue(config)!, parse.GetValue(store), ct).ConfigureAwait(false);
            return service is null ? 1 : await action(service, KeyId(parse.GetValue(id)!), console, ct).ConfigureAwait(false);
        }));
        return command;
    }

    /// <summary>The store from <c>--store</c>, or from the configuration's <c>identity.managedKeys</c> (then also the options, to check model names).</summary>
    private static async Task<(ApiKeyService? Service, GatewayOptions? Options)> OpenAsync(CliConsole console, string config, string? store, CancellationToken ct)
    {
        GatewayOptions? options = null;
        var path = store;
        if (path is null)
        {
            var result = GatewayConfigReader.Load(config);
            foreach (var d in result.Diagnostics.Where(d => d.IsError))
            {
                console.Error.WriteLine(d.ToString());
            }

            if (result.Options is null)
            {
                console.Error.WriteLine($"{config}: the gateway configuration has errors; fix them, or name the key store with --store FILE.");
                return (null, null);
            }

            options = result.Options;
            path = options.Identity.ManagedKeyStore;
            if (path is null)
            {
                console.Error.WriteLine($"{config}: managed keys are not configured; add 'identity: {{ managedKeys: {{ sqlite: {GatewayIdentity.DefaultKeyStore} }} }}' under 'gateway:', or name the store with --store FILE.");
                return (null, null);
            }
        }

        // The gateway's own choice (PostgreSQL when its usage store is), unless --store names a SQLite file.
        var keyStore = options is not null
            ? await Basalt.Gateway.Authentication.GatewayAuthenticators.OpenKeyStoreAsync(options, ct).ConfigureAwait(false)
            : await SqlApiKeyStore.OpenSqliteAsync(path, ct).ConfigureAwait(false);
        return (new ApiKeyService(keyStore, TimeProvider.System), options);
    }

    private static bool CheckModels(CliConsole console, GatewayOptions options, List<string> models)
    {
        var known = options.Models.SelectMany(m => m.Aliases.Prepend(m.Id)).ToHashSet(StringComparer.Ordinal);
        var ok = true;
        foreach (var model in models.Where(m => !known.Contains(m)))
        {
            var suggestion = FieldReader.Suggest(model, known);
            console.Error.WriteLine($"error: --models names '{model}', which is not a model of this gateway ({string.Join(", ", options.Models.Select(m => m.Id))}){(suggestion is null ? string.Empty : $"; did you mean '{suggestion}'?")}");
            ok = false;
        }

        return ok;
    }

    /// <summary>Accepts the id or a prefix as shown (<c>bsk_0123456789ab</c>); never needs the secret.</summary>
    private static string KeyId(string text) => text.StartsWith(ApiKeySecret.Prefix, StringComparison.Ordinal) ? text[ApiKeySecret.Prefix.Length..].Split('_')[0] : text;

    private static DateTimeOffset? ParseExpiry(string text, DateTimeOffset now)
    {
        if (FieldReader.TryParseDuration(text, out var duration) && duration > TimeSpan.Zero)
        {
            return now + duration;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at : null;
    }

    private static string Owner(ManagedApiKey key) => (key.OwnerKind == ApiKeyOwnerKind.Team ? "team " : "user ") + key.Owner;

    private static string Time(DateTimeOffset? at, string none) => at is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : none;
}
