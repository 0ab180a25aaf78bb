using Basalt.Credentials.Cache;
using Basalt.Credentials.Output;
using Basalt.Credentials.Settings;

namespace Basalt.Credentials.Cli;

/// <summary>
/// What the local cache holds for a profile, read without any network call (<c>check-expiration</c>, <c>explain</c>):
/// long-term credentials and Bedrock API keys never expire; temporary ones are valid while more than the
/// resolver's refresh margin is left — the same rule the helper uses to decide whether to sign in again.
/// </summary>
internal sealed record CacheState(bool Valid, string Summary, DateTimeOffset? Expiration, string? CacheFile)
{
    public static CacheState Read(CredentialHelperResolver resolver, CredentialProfileSettings profile, CredentialEnvironment environment)
    {
        switch (profile.Source)
        {
            case CredentialSourceKind.BedrockApiKey:
                return new CacheState(true, "a long-term Bedrock API key; it does not expire here", null, null);
            case CredentialSourceKind.Static:
                return new CacheState(true, "static keys from the settings; nothing is cached", null, null);
            case CredentialSourceKind.Gateway:
            {
                using var signIn = resolver.GatewaySignInFor(profile);
                var sessionFile = resolver.Cache.PathFor(CredentialHelperResolver.CacheKeyFor(profile) + Gateway.GatewaySignIn.SessionSuffix);
                if (signIn.Cached() is not { } session)
                {
                    return new CacheState(false, "not signed in to the gateway", null, sessionFile);
                }

                var fresh = session.IsFresh(environment.UtcNow);
                return new CacheState(fresh, fresh ? "gateway access token valid" : "gateway access token expired or about to expire (the next run refreshes it silently)", session.AccessTokenExpiresAt, sessionFile);
            }
        }

        var key = CredentialHelperResolver.CacheKeyFor(profile);
        var file = resolver.Cache.PathFor(key);
        var entry = resolver.Cache.TryRead(key, TextWriter.Null);
        if (entry?.Credentials.Expiration is not { } expiration)
        {
            return new CacheState(false, "no cached credentials", null, file);
        }

        var now = environment.UtcNow;
        var valid = entry.IsFresh(now, resolver.RefreshMargin, TimeSpan.FromMinutes(5));
        return new CacheState(valid, valid ? "valid" : "expired or about to expire", expiration, file);
    }

    /// <summary>One line for people, e.g. <c>valid until 2025-06-01T18:00:00Z (7 h 59 min left)</c>.</summary>
    public string Describe(DateTimeOffset now)
        => Expiration is { } e
            ? $"{Summary}: credentials {(e > now ? "expire" : "expired")} at {CredentialOutput.FormatExpiration(e)}" + (e > now ? $" ({CredentialHelperCommand.Remaining(e - now)} left)" : string.Empty)
            : Summary;
}
