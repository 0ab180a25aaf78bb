using Basalt.Testing.Identity;
using Basalt.Identity.Jwt;

namespace Basalt.Tests.Identity.Jwt;

public sealed class SigningKeyCacheTests : IDisposable
{
    private readonly TestJwt _jwt = new();
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private int _fetches;

    public void Dispose() => _jwt.Dispose();

    private Task<SigningKeySet> Fetch(CancellationToken _)
    {
        Interlocked.Increment(ref _fetches);
        return Task.FromResult(SigningKeySet.Parse(_jwt.JwksJson()));
    }

    [Fact]
    public async Task Keys_are_fetched_once_and_kept_for_their_lifetime()
    {
        var cache = new SigningKeyCache(_clock);

        var first = await cache.GetAsync("https://idp", Fetch, refresh: false, CancellationToken.None);
        _clock.Advance(SigningKeyCache.Lifetime - TimeSpan.FromSeconds(1));
        var second = await cache.GetAsync("https://idp", Fetch, refresh: false, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(1));
        await cache.GetAsync("https://idp", Fetch, refresh: false, CancellationToken.None);

        Assert.Same(first, second);
        Assert.Equal(2, _fetches);
    }

    [Fact]
    public async Task Refresh_for_an_unknown_key_is_granted_at_most_once_per_interval()
    {
        var cache = new SigningKeyCache(_clock);
        await cache.GetAsync("https://idp", Fetch, refresh: false, CancellationToken.None);

        // A flood of tokens with random kids: one refetch, then the held keys.
        for (var i = 0; i < 50; i++)
        {
            await cache.GetAsync("https://idp", Fetch, refresh: true, CancellationToken.None);
        }

        Assert.Equal(1, _fetches);
        _clock.Advance(SigningKeyCache.MinimumRefetchInterval);
        await cache.GetAsync("https://idp", Fetch, refresh: true, CancellationToken.None);
        Assert.Equal(2, _fetches);
    }

    [Fact]
    public async Task Concurrent_first_requests_share_one_fetch()
    {
        var cache = new SigningKeyCache(_clock);
        var release = new TaskCompletionSource();
        async Task<SigningKeySet> Slow(CancellationToken ct)
        {
            Interlocked.Increment(ref _fetches);
            await release.Task;
            return SigningKeySet.Parse(_jwt.JwksJson());
        }

        var requests = Enumerable.Range(0, 8).Select(_ => cache.GetAsync("https://idp", Slow, refresh: false, CancellationToken.None).AsTask()).ToList();
        release.SetResult();
        var sets = await Task.WhenAll(requests);

        Assert.Equal(1, _fetches);
        Assert.All(sets, s => Assert.Same(sets[0], s));
    }

    [Fact]
    public async Task Failed_refresh_keeps_the_held_keys_but_a_failed_first_fetch_throws()
    {
        var cache = new SigningKeyCache(_clock);
        var held = await cache.GetAsync("https://idp", Fetch, refresh: false, CancellationToken.None);
        _clock.Advance(SigningKeyCache.MinimumRefetchInterval);

        var afterFailure = await cache.GetAsync("https://idp", _ => throw new HttpRequestException("idp down"), refresh: true, CancellationToken.None);

        Assert.Same(held, afterFailure);
        await Assert.ThrowsAsync<HttpRequestException>(async () => await cache.GetAsync("https://other", _ => throw new HttpRequestException("idp down"), refresh: false, CancellationToken.None));
    }
}
