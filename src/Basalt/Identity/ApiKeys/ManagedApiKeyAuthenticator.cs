using Basalt.Identity.Groups;

namespace Basalt.Identity.ApiKeys;

/// <summary>
/// Managed keys (<c>bsk_…</c>) in <c>Authorization: Bearer</c> or <c>x-api-key</c>. A key bound to a person
/// authenticates as that person (their groups from the explicit user lists); a team key as <c>team:&lt;name&gt;</c>
/// in the group of that name. Results are cached for <see cref="CacheLifetime"/> only: a key revoked by another
/// process (the CLI, another replica) stops working within that time; one revoked through
/// <see cref="Forget"/> in this process, at once.
/// </summary>
public sealed class ManagedApiKeyAuthenticator(IApiKeyStore store, GroupMapping groups, TimeProvider? time = null, CredentialCache? cache = null) : IRequestAuthenticator
{
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromSeconds(10);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly CredentialCache _cache = cache ?? new CredentialCache(time ?? TimeProvider.System);

    public async ValueTask<AuthenticationResult> AuthenticateAsync(AuthenticationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var text = request.Credential;
        if (text is null || !text.StartsWith(ApiKeySecret.Prefix, StringComparison.Ordinal))
        {
            return AuthenticationResult.NotRecognised;
        }

        if (_cache.TryGet(text, out var cached))
        {
            return cached;
        }

        var now = _time.GetUtcNow();
        AuthenticationResult result;
        DateTimeOffset until = now + CacheLifetime;
        if (!ApiKeySecret.TryParse(text, out var id, out var secret))
        {
            result = AuthenticationResult.Reject("the API key is malformed (Basalt keys look like bsk_<12 hex>_<43 characters>)");
        }
        else if (await store.FindAsync(id, cancellationToken).ConfigureAwait(false) is not { } key || !ApiKeySecret.Matches(key, secret))
        {
            result = AuthenticationResult.Reject("unknown API key");
        }
        else if (key.RevokedAt is not null)
        {
            result = AuthenticationResult.Reject($"API key {key.Prefix} was revoked");
        }
        else if (key.ExpiresAt is { } expiry && expiry <= now)
        {
            result = AuthenticationResult.Reject($"API key {key.Prefix} expired at {expiry:u}");
        }
        else
        {
            if (key.ExpiresAt is { } e && e < until)
            {
                until = e;
            }

            result = AuthenticationResult.Success(ToPrincipal(key));
            try
            {
                await store.MarkUsedAsync(key.Id, now, cancellationToken).ConfigureAwait(false);
            }
            catch (System.Data.Common.DbException)
            {
                // "Last used" is information for administrators; a busy store must not refuse a valid key.
            }
        }

        _cache.Set(text, result, until);
        return result;
    }

    /// <summary>Drops a key from this process's cache (after revoking or rotating it here).</summary>
    public void Forget(string keyText) => _cache.Remove(keyText);

    /// <summary>Drops key <paramref name="id"/> from this process's cache by its id (the dashboard never holds the key text).</summary>
    public void ForgetId(string id)
    {
        var prefix = ApiKeySecret.Prefix + id + "_";
        _cache.RemoveWhere(text => text.StartsWith(prefix, StringComparison.Ordinal));
    }

    private Principal ToPrincipal(ManagedApiKey key)
    {
        var userId = key.OwnerKind == ApiKeyOwnerKind.Team ? "team:" + key.Owner : key.Owner;
        var resolved = groups.Resolve(userId, _ => []);
        IReadOnlyList<string> all = key.OwnerKind == ApiKeyOwnerKind.Team ? [.. resolved.Append(key.Owner).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)] : resolved;
        return new Principal(userId, key.OwnerKind == ApiKeyOwnerKind.Team ? $"{key.Name} (team {key.Owner})" : key.Owner, null, all, AuthenticationMethod.ManagedApiKey, key.Prefix)
        {
            AllowedModels = key.AllowedModels.Count == 0 ? null : key.AllowedModels,
        };
    }
}
