namespace Basalt.Identity.ApiKeys;

/// <summary>
/// Managing keys (the <c>basalt gateway keys</c> commands and the admin API call this): create (the key text is
/// returned once and never again), list, rotate (a new key with the same binding; the old one is revoked),
/// expire and revoke.
/// </summary>
public sealed class ApiKeyService(IApiKeyStore store, TimeProvider time)
{
    public Task<(ManagedApiKey Key, string Text)> CreateAsync(string name, ApiKeyOwnerKind ownerKind, string owner, DateTimeOffset? expiresAt, IReadOnlyList<string>? allowedModels, CancellationToken cancellationToken)
        => CreateAsync(name, ownerKind, owner, expiresAt, allowedModels, rotatedFrom: null, cancellationToken);

    private async Task<(ManagedApiKey Key, string Text)> CreateAsync(string name, ApiKeyOwnerKind ownerKind, string owner, DateTimeOffset? expiresAt, IReadOnlyList<string>? allowedModels, string? rotatedFrom, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(owner);
        var now = time.GetUtcNow();
        if (expiresAt is { } expiry && expiry <= now)
        {
            throw new ArgumentException($"the expiry {expiry:u} is in the past; give a future time or a duration such as 90d", nameof(expiresAt));
        }

        var (id, secret, text) = ApiKeySecret.Create();
        var salt = ApiKeySecret.NewSalt();
        var key = new ManagedApiKey
        {
            Id = id,
            Name = name,
            OwnerKind = ownerKind,
            Owner = owner,
            Salt = salt,
            Hash = ApiKeySecret.Hash(salt, secret),
            CreatedAt = now,
            ExpiresAt = expiresAt,
            AllowedModels = allowedModels ?? [],
            RotatedFrom = rotatedFrom,
        };
        await store.AddAsync(key, cancellationToken).ConfigureAwait(false);
        return (key, text);
    }

    public Task<IReadOnlyList<ManagedApiKey>> ListAsync(CancellationToken cancellationToken) => store.ListAsync(cancellationToken);

    /// <summary>A replacement key with the same owner, models and expiry; the old key is revoked at once.</summary>
    public async Task<(ManagedApiKey Key, string Text)> RotateAsync(string id, CancellationToken cancellationToken)
    {
        var old = await store.FindAsync(id, cancellationToken).ConfigureAwait(false) ?? throw new KeyNotFoundException($"no managed API key with id '{id}' (list them with: basalt gateway keys list)");
        if (!old.IsActive(time.GetUtcNow()))
        {
            throw new InvalidOperationException($"key '{id}' is revoked or expired; create a new key instead of rotating it");
        }

        var created = await CreateAsync(old.Name, old.OwnerKind, old.Owner, old.ExpiresAt, old.AllowedModels, rotatedFrom: id, cancellationToken).ConfigureAwait(false);
        await store.RevokeAsync(id, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return created;
    }

    public Task<bool> RevokeAsync(string id, CancellationToken cancellationToken) => store.RevokeAsync(id, time.GetUtcNow(), cancellationToken);

    public Task<bool> ExpireAsync(string id, DateTimeOffset at, CancellationToken cancellationToken) => store.SetExpiryAsync(id, at, cancellationToken);
}
