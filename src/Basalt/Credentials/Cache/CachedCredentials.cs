using Basalt.Aws;

namespace Basalt.Credentials.Cache;

/// <summary>A cache entry: the credentials and when this machine's clock said they were obtained.</summary>
public sealed record CachedCredentials(AwsCredentials Credentials, DateTimeOffset ObtainedAt)
{
    /// <summary>
    /// Usable at <paramref name="now"/>: more than <paramref name="margin"/> left before expiry, and not obtained
    /// "in the future" by more than <paramref name="skewTolerance"/> (the clock went back, so neither time can be
    /// trusted; fetching again is the safe answer).
    /// </summary>
    public bool IsFresh(DateTimeOffset now, TimeSpan margin, TimeSpan skewTolerance)
        => Credentials.Expiration is { } expiration
           && expiration - now > margin
           && now >= ObtainedAt - skewTolerance;
}
