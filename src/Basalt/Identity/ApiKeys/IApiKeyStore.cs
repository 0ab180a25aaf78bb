namespace Basalt.Identity.ApiKeys;

/// <summary>
/// Where managed keys live: the gateway's store (the embedded SQLite file; PostgreSQL through the same table shape,
/// <see cref="Stores.ApiKeySchema"/>). Small on purpose so it can move onto the usage store's connection handling.
/// </summary>
public interface IApiKeyStore
{
    Task AddAsync(ManagedApiKey key, CancellationToken cancellationToken);

    Task<ManagedApiKey?> FindAsync(string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<ManagedApiKey>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Marks a key revoked; false when there is no such key.</summary>
    Task<bool> RevokeAsync(string id, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Records that a key authenticated a request at <paramref name="at"/> (for <c>keys list</c>).</summary>
    Task MarkUsedAsync(string id, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>Sets or clears a key's expiry; false when there is no such key.</summary>
    Task<bool> SetExpiryAsync(string id, DateTimeOffset? expiresAt, CancellationToken cancellationToken);
}
