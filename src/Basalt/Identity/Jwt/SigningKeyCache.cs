using System.Collections.Concurrent;

namespace Basalt.Identity.Jwt;

/// <summary>
/// Issuers' JWKS, kept for <see cref="Lifetime"/> so a long-running host (gateway, emulator, CLI) does not fetch
/// them per token. A token signed with a key the cache lacks asks for a refresh (the issuer rotated its keys,
/// RFC 7517 §5 and OIDC Core §10.1.1), which is granted at most every <see cref="MinimumRefetchInterval"/> per
/// source, so forged tokens with random <c>kid</c>s cannot make Basalt hammer the IdP. Concurrent requests for the
/// same source share one fetch; when a refresh fails the keys already held keep being used.
/// </summary>
public sealed class SigningKeyCache(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    public static readonly TimeSpan MinimumRefetchInterval = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>The process-wide cache used when a host does not give its own.</summary>
    public static SigningKeyCache Shared { get; } = new(TimeProvider.System);

    /// <summary>
    /// The keys of <paramref name="source"/> (an issuer, JWKS URL or file), fetched with <paramref name="fetch"/>
    /// when absent, older than <see cref="Lifetime"/>, or when <paramref name="refresh"/> is asked and the last
    /// attempt is older than <see cref="MinimumRefetchInterval"/>.
    /// </summary>
    public async ValueTask<SigningKeySet> GetAsync(string source, Func<CancellationToken, Task<SigningKeySet>> fetch, bool refresh, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        var entry = _entries.GetOrAdd(source, _ => new Entry());
        if (entry.Keys is { } fresh && !NeedsFetch(entry, refresh))
        {
            return fresh;
        }

        await entry.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another caller may have fetched while this one waited.
            if (entry.Keys is { } keys && !NeedsFetch(entry, refresh))
            {
                return keys;
            }

            entry.LastAttempt = time.GetUtcNow();
            try
            {
                var fetched = await fetch(cancellationToken).ConfigureAwait(false);
                entry.Keys = fetched;
                entry.FetchedAt = entry.LastAttempt;
                return fetched;
            }
            catch (Exception) when (entry.Keys is { } held && refresh && !cancellationToken.IsCancellationRequested)
            {
                return held;
            }
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    private bool NeedsFetch(Entry entry, bool refresh)
    {
        var now = time.GetUtcNow();
        return now - entry.FetchedAt >= Lifetime || (refresh && now - entry.LastAttempt >= MinimumRefetchInterval);
    }

    private sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public SigningKeySet? Keys { get; set; }

        public DateTimeOffset FetchedAt { get; set; }

        public DateTimeOffset LastAttempt { get; set; }
    }
}
