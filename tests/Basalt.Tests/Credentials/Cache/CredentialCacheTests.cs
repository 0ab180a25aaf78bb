using System.Text;
using Basalt.Aws;
using Basalt.Credentials;
using Basalt.Credentials.Cache;
using Basalt.Tests.Credentials.Support;

namespace Basalt.Tests.Credentials.Cache;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CredentialCacheTests
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static (CredentialCache Cache, CredentialTestEnvironment Env) NewCache()
    {
        var env = new CredentialTestEnvironment();
        return (new CredentialCache(env.Combine("cache"), env.ToCredentialEnvironment()), env);
    }

    private static CachedCredentials Entry(string suffix = "1")
        => new(new AwsCredentials("ASIACACHETEST0000001", "cache-secret-" + suffix, "cache-session-token-" + suffix, T0.AddHours(1)), T0);

    [Fact]
    public void Entries_are_encrypted_owner_only_and_round_trip()
    {
        var (cache, env) = NewCache();
        using var _ = env;
        cache.Write("work-abc", Entry());
        var path = cache.PathFor("work-abc");
        var bytes = File.ReadAllBytes(path);
        Assert.Equal("BSLC"u8.ToArray(), bytes[..4]);
        var text = Encoding.Latin1.GetString(bytes);
        Assert.DoesNotContain("cache-secret", text);
        Assert.DoesNotContain("ASIACACHETEST", text);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));

        // No Secret Service on this machine: the key lives in a 0600 file, with a warning.
        Assert.Equal("key-file", cache.KeyStoreName);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(cache.Directory, "cache.key")));
        var read = cache.TryRead("work-abc", TextWriter.Null);
        Assert.Equal(Entry().Credentials, read!.Credentials);
        Assert.Equal(T0, read.ObtainedAt);
    }

    [Fact]
    public void The_key_store_warns_when_only_a_key_file_is_available()
    {
        using var env = new CredentialTestEnvironment();
        var log = new StringWriter();
        var cache = new CredentialCache(env.Combine("cache"), env.ToCredentialEnvironment(), log);
        cache.Write("k", Entry());
        Assert.Contains("no OS secret store is available", log.ToString());
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("half")]
    [InlineData("flipped")]
    [InlineData("empty")]
    public void Corrupt_or_half_written_entries_are_discarded_with_a_warning(string damage)
    {
        var (cache, env) = NewCache();
        using var _ = env;
        cache.Write("work", Entry());
        var path = cache.PathFor("work");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, damage switch
        {
            "garbage" => Encoding.UTF8.GetBytes("{\"accessKeyId\":\"plain\"}"),
            "half" => bytes[..(bytes.Length / 2)],
            "flipped" => [.. bytes[..^1], (byte)(bytes[^1] ^ 0x01)],
            _ => [],
        });
        var log = new StringWriter();
        Assert.Null(cache.TryRead("work", log));
        Assert.Contains("discarded the credential cache", log.ToString());
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void An_entry_moved_to_another_profile_or_read_with_another_key_does_not_decrypt()
    {
        var (cache, env) = NewCache();
        using var _ = env;
        cache.Write("alice", Entry());
        File.Copy(cache.PathFor("alice"), cache.PathFor("bob"));
        Assert.Null(cache.TryRead("bob", TextWriter.Null));

        File.Delete(Path.Combine(cache.Directory, "cache.key"));
        var fresh = new CredentialCache(cache.Directory, env.ToCredentialEnvironment());
        Assert.Null(fresh.TryRead("alice", TextWriter.Null));
    }

    [Fact]
    public async Task Cached_credentials_are_reused_until_the_refresh_margin()
    {
        var (cache, env) = NewCache();
        using var _ = env;
        var time = new SettableTime(T0);
        var source = new CountingSource(time, TimeSpan.FromHours(1));
        var caching = new CachingCredentialSource(source, cache, "p", time);
        var request = new CredentialRequest(CredentialContext.Background, TextWriter.Null);

        var first = await caching.GetCredentialsAsync(request, default);
        time.Now = T0.AddMinutes(54);
        Assert.Equal(first, await caching.GetCredentialsAsync(request, default));
        Assert.Equal(1, source.Calls);

        time.Now = T0.AddMinutes(56);
        Assert.NotEqual(first, await caching.GetCredentialsAsync(request, default));
        Assert.Equal(2, source.Calls);

        Assert.NotEqual(first, await caching.GetCredentialsAsync(request with { ForceLogin = true }, default));
        Assert.Equal(3, source.Calls);
    }

    [Fact]
    public async Task A_clock_that_went_back_invalidates_the_entry()
    {
        var (cache, env) = NewCache();
        using var _ = env;
        var time = new SettableTime(T0);
        var source = new CountingSource(time, TimeSpan.FromHours(1));
        var caching = new CachingCredentialSource(source, cache, "p", time);
        var log = new StringWriter();
        var request = new CredentialRequest(CredentialContext.Background, log);
        await caching.GetCredentialsAsync(request, default);

        time.Now = T0.AddMinutes(-3);
        await caching.GetCredentialsAsync(request, default);
        Assert.Equal(1, source.Calls);

        time.Now = T0.AddMinutes(-30);
        await caching.GetCredentialsAsync(request, default);
        Assert.Equal(2, source.Calls);
        Assert.Contains("later time than this computer's clock", log.ToString());
    }

    [Fact]
    public async Task Credentials_that_look_expired_on_arrival_are_handed_out_with_a_clock_warning()
    {
        var (cache, env) = NewCache();
        using var _ = env;
        var time = new SettableTime(T0);

        // This machine's clock is ahead of AWS's: credentials valid 1 h at AWS look like 2 minutes here.
        var source = new CountingSource(time, TimeSpan.FromMinutes(2));
        var log = new StringWriter();
        var credentials = await new CachingCredentialSource(source, cache, "p", time).GetCredentialsAsync(new CredentialRequest(CredentialContext.Background, log), default);
        Assert.Equal(T0.AddMinutes(2), credentials.Expiration);
        Assert.Contains("check the system clock", log.ToString());
        Assert.Equal(1, source.Calls);
    }

    [Fact]
    public async Task Twenty_concurrent_callers_in_one_process_cause_one_sign_in_and_get_the_same_credentials()
    {
        var (cache, env) = NewCache();
        using var _ = env;
        var source = new CountingSource(TimeProvider.System, TimeSpan.FromHours(1), work: TimeSpan.FromMilliseconds(300));
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
            await new CachingCredentialSource(source, cache, "shared").GetCredentialsAsync(new CredentialRequest(CredentialContext.Interactive, TextWriter.Null), default))));
        Assert.Equal(1, source.Calls);
        Assert.Single(results.Distinct());
    }

    [Fact]
    public async Task Long_term_credentials_are_not_written_to_the_cache()
    {
        var (cache, env) = NewCache();
        using var _ = env;
        var source = new Basalt.Credentials.StaticKeys.StaticCredentialSource(new AwsCredentials("AKIASTATICEXAMPLE001", "static-secret"));
        await new CachingCredentialSource(source, cache, "static").GetCredentialsAsync(new CredentialRequest(CredentialContext.Background, TextWriter.Null), default);
        Assert.False(File.Exists(cache.PathFor("static")));
    }

    [Fact]
    public void A_cache_file_other_users_can_read_is_not_used_and_says_why()
    {
        var (cache, env) = NewCache();
        using var _ = env;
        cache.Write("work-abc", Entry());
        var path = cache.PathFor("work-abc");
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100); // 0644
        var log = new StringWriter();
        Assert.Null(cache.TryRead("work-abc", log));
        Assert.Contains("0600", log.ToString(), StringComparison.Ordinal);
    }
}
