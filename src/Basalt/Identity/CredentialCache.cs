using System.Collections.Concurrent;

namespace Basalt.Identity;

/// <summary>
/// Authentication results per credential until they stop being true (a token's expiry, a presign's expiry), so
/// the hot path of a request with a known credential is one dictionary lookup and no cryptography (issue 9 item 2).
/// Refusals are kept briefly too, so a flood of one forged token costs one signature check, not one per request.
/// Bounded: past <see cref="Capacity"/> entries, expired ones are dropped, and if that is not enough, all.
/// </summary>
public sealed class CredentialCache(TimeProvider time, int capacity = CredentialCache.DefaultCapacity)
{
    public const int DefaultCapacity = 100_000;

    /// <summary>How long a refusal is remembered; equal to the JWKS refetch interval, so a token refused for a key
    /// that was not yet published is retried once the issuer's keys may be fetched again.</summary>
    public static readonly TimeSpan RefusalLifetime = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public int Capacity => capacity;

    public int Count => _entries.Count;

    public bool TryGet(string credential, out AuthenticationResult result)
    {
        if (_entries.TryGetValue(credential, out var entry))
        {
            if (time.GetUtcNow() < entry.Until)
            {
                result = entry.Result;
                return true;
            }

            _entries.TryRemove(new KeyValuePair<string, Entry>(credential, entry));
        }

        result = AuthenticationResult.NotRecognised;
        return false;
    }

    /// <summary>Remembers <paramref name="result"/> until <paramref name="until"/> (refusals at most <see cref="RefusalLifetime"/>).</summary>
    public void Set(string credential, AuthenticationResult result, DateTimeOffset until)
    {
        ArgumentNullException.ThrowIfNull(result);
        var now = time.GetUtcNow();
        if (result.Outcome == AuthenticationOutcome.Rejected && until > now + RefusalLifetime)
        {
            until = now + RefusalLifetime;
        }

        if (until <= now)
        {
            return;
        }

        if (_entries.Count >= capacity)
        {
            foreach (var (key, entry) in _entries)
            {
                if (entry.Until <= now)
                {
                    _entries.TryRemove(key, out _);
                }
            }

            if (_entries.Count >= capacity)
            {
                _entries.Clear();
            }
        }

        _entries[credential] = new Entry(result, until);
    }

    /// <summary>Forgets one credential (a revoked key or token must stop working at once).</summary>
    public void Remove(string credential) => _entries.TryRemove(credential, out _);

    /// <summary>Forgets every credential matching <paramref name="match"/> (a key revoked by id, whose text is not kept).</summary>
    public void RemoveWhere(Func<string, bool> match)
    {
        ArgumentNullException.ThrowIfNull(match);
        foreach (var key in _entries.Keys)
        {
            if (match(key))
            {
                _entries.TryRemove(key, out _);
            }
        }
    }

    private sealed record Entry(AuthenticationResult Result, DateTimeOffset Until);
}
