namespace Basalt.Identity.ApiKeys;

/// <summary>
/// A managed (virtual) API key as stored: never the secret, only a per-key salt and the salted SHA-256 of the
/// secret (issue 9 item 5). The secret is 256 random bits, so a fast hash is enough: there is nothing to
/// brute-force, unlike passwords. <see cref="Prefix"/> is the non-secret start of the key shown in lists and logs.
/// </summary>
public sealed record ManagedApiKey
{
    /// <summary>Lookup id, also inside the key text (<c>bsk_&lt;id&gt;_&lt;secret&gt;</c>).</summary>
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required ApiKeyOwnerKind OwnerKind { get; init; }

    /// <summary>The user id (<c>oid</c>/<c>sub</c>/ARN id) or team name the key is bound to.</summary>
    public required string Owner { get; init; }

    public required byte[] Salt { get; init; }

    public required byte[] Hash { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>When the key last authenticated a request (recorded at most once per
    /// <see cref="ManagedApiKeyAuthenticator.CacheLifetime"/>, when the cached result is renewed); null if never.</summary>
    public DateTimeOffset? LastUsedAt { get; init; }

    /// <summary>The key this one replaced when it was rotated in (audit trail).</summary>
    public string? RotatedFrom { get; init; }

    /// <summary>Models this key may call (client ids); empty means whatever its owner's groups allow.</summary>
    public IReadOnlyList<string> AllowedModels { get; init; } = [];

    public string Prefix => ApiKeySecret.Prefix + Id;

    public bool IsActive(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || now < ExpiresAt);

    public override string ToString() => $"ManagedApiKey {{ Id = {Id}, Name = {Name}, Owner = {OwnerKind}:{Owner}, Hash = *** }}";
}
