using Basalt.Aws;

namespace Basalt.Credentials.Cache;

/// <summary>
/// Wraps a source with the encrypted cache and the cross-process lock so that N helpers started at once cause one
/// sign-in and all return the same credentials (double-checked: read the cache → take the lock → read the cache
/// again → only then ask the source). Credentials are refreshed <see cref="RefreshMargin"/> before they expire
/// (Claude Desktop checks before every turn, cowork3p-reference §3.3, and a turn must not start on credentials about
/// to die). Long-term credentials (no expiry) are not cached: the source can give them again at no cost.
/// </summary>
public sealed class CachingCredentialSource(ICredentialSource inner, CredentialCache cache, string cacheKey, TimeProvider? timeProvider = null) : ICredentialSource
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    public string Kind => inner.Kind;

    public ICredentialSource Inner => inner;

    /// <summary>Cached credentials with less than this left are refreshed. Default 5 minutes.</summary>
    public TimeSpan RefreshMargin { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How far the clock may have gone back since an entry was written before the entry is distrusted.</summary>
    public TimeSpan ClockSkewTolerance { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long to wait for another process's sign-in: long when a user may be signing in in a browser,
    /// short for silent runs (cowork3p-reference §4: finish well under 20 s).</summary>
    public TimeSpan InteractiveLockTimeout { get; init; } = TimeSpan.FromMinutes(11);

    public TimeSpan SilentLockTimeout { get; init; } = TimeSpan.FromSeconds(15);

    public async ValueTask<AwsCredentials> GetCredentialsAsync(CredentialRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.ForceLogin && TryFresh(request.Log) is { } cached)
        {
            return cached;
        }

        CrossProcessFileLock held;
        try
        {
            held = await CrossProcessFileLock.AcquireAsync(cache.LockPathFor(cacheKey), request.MayPromptUser ? InteractiveLockTimeout : SilentLockTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new CredentialException($"Another basalt-credential run is still signing in for this profile (lock {cache.LockPathFor(cacheKey)}). Finish that sign-in, then try again.", e);
        }

        using (held)
        {
            // Whoever held the lock before us may have just signed in: use their result.
            if (!request.ForceLogin && TryFresh(request.Log) is { } fresh)
            {
                return fresh;
            }

            var credentials = await inner.GetCredentialsAsync(request, cancellationToken).ConfigureAwait(false);
            var now = _time.GetUtcNow();
            if (credentials.Expiration is { } issued)
            {
                // The cache keeps milliseconds; hand out exactly what the other processes will read back.
                var expiration = DateTimeOffset.FromUnixTimeMilliseconds(issued.ToUnixTimeMilliseconds());
                credentials = credentials with { Expiration = expiration };
                if (expiration - now <= RefreshMargin)
                {
                    // Just issued yet already "expiring": this clock is ahead of AWS's. Hand them out anyway (AWS
                    // validates against its own clock) instead of signing in again on every run.
                    request.Log.WriteLine($"warning: the credentials just issued expire at {expiration:u}, which this computer's clock says is {(expiration - now).TotalMinutes:0} min away; check the system clock.");
                }

                cache.Write(cacheKey, new CachedCredentials(credentials, now));
            }

            return credentials;
        }
    }

    private AwsCredentials? TryFresh(TextWriter log)
    {
        var entry = cache.TryRead(cacheKey, log);
        if (entry is null)
        {
            return null;
        }

        var now = _time.GetUtcNow();
        if (entry.IsFresh(now, RefreshMargin, ClockSkewTolerance))
        {
            return entry.Credentials;
        }

        // An entry that is fresh by its expiry but was written "in the future": the clock went back.
        if (entry.Credentials.Expiration is { } e && e - now > RefreshMargin)
        {
            log.WriteLine("warning: the cached credentials were written at a later time than this computer's clock shows now; fetching new ones.");
        }

        return null;
    }
}
