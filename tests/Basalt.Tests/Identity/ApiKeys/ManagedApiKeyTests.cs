using Basalt.Testing.Identity;
using Basalt.Identity;
using Basalt.Identity.ApiKeys;
using Basalt.Identity.ApiKeys.Stores;
using Basalt.Identity.Groups;
using Basalt.Testing;

namespace Basalt.Tests.Identity.ApiKeys;

public sealed class ManagedApiKeyTests : IDisposable
{
    private readonly TempDirectory _dir = new("api-keys");
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 12, 6, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _dir.Dispose();

    private async Task<(ApiKeyService Service, ManagedApiKeyAuthenticator Authenticator, string Path)> OpenAsync(GroupMapping? groups = null)
    {
        var path = _dir.Combine("gateway.db");
        var store = await SqlApiKeyStore.OpenSqliteAsync(path, CancellationToken.None);
        return (new ApiKeyService(store, _clock), new ManagedApiKeyAuthenticator(store, groups ?? GroupMapping.None, _clock), path);
    }

    private static Task<AuthenticationResult> Authenticate(ManagedApiKeyAuthenticator authenticator, string key, bool asHeader = false)
        => authenticator.AuthenticateAsync(asHeader ? new AuthenticationRequest(null, key, "/v1/messages") : new AuthenticationRequest(key, null, "/v1/messages"), CancellationToken.None).AsTask();

    [Fact]
    public async Task Created_key_is_shown_once_stored_as_a_salted_hash_and_authenticates_as_its_owner()
    {
        var groups = new GroupMapping { Users = new Dictionary<string, IReadOnlyList<string>> { ["engineering"] = ["user-7"] } };
        var (service, authenticator, path) = await OpenAsync(groups);

        var (key, text) = await service.CreateAsync("laptop", ApiKeyOwnerKind.User, "user-7", null, ["claude-sonnet-5"], CancellationToken.None);
        var result = await Authenticate(authenticator, text, asHeader: true);

        Assert.Matches("^bsk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$", text);
        Assert.Equal(AuthenticationOutcome.Authenticated, result.Outcome);
        Assert.Equal(("user-7", AuthenticationMethod.ManagedApiKey, key.Prefix), (result.Principal!.UserId, result.Principal.Method, result.Principal.CredentialId));
        Assert.Equal(["engineering"], result.Principal.Groups);
        Assert.Equal(["claude-sonnet-5"], result.Principal.AllowedModels!);
        Assert.DoesNotContain(text[(key.Prefix.Length + 1)..], await File.ReadAllTextAsync(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        var listed = Assert.Single(await service.ListAsync(CancellationToken.None));
        Assert.Equal(key.Id, listed.Id);
        Assert.Equal(key.Hash, listed.Hash);
        Assert.NotEqual(key.Salt, (await service.CreateAsync("second", ApiKeyOwnerKind.User, "user-7", null, null, CancellationToken.None)).Key.Salt);
    }

    [Fact]
    public async Task Team_key_authenticates_as_the_team_in_its_group()
    {
        var (service, authenticator, _) = await OpenAsync();
        var (_, text) = await service.CreateAsync("ci", ApiKeyOwnerKind.Team, "platform", null, null, CancellationToken.None);

        var principal = (await Authenticate(authenticator, text)).Principal!;

        Assert.Equal("team:platform", principal.UserId);
        Assert.Equal(["platform"], principal.Groups);
        Assert.Null(principal.AllowedModels);
    }

    [Fact]
    public async Task Rotation_gives_a_new_key_and_the_old_one_stops_working()
    {
        var (service, authenticator, _) = await OpenAsync();
        var (old, oldText) = await service.CreateAsync("svc", ApiKeyOwnerKind.Team, "data", null, null, CancellationToken.None);

        var (rotated, newText) = await service.RotateAsync(old.Id, CancellationToken.None);

        Assert.Equal(old.Id, rotated.RotatedFrom);
        Assert.Equal(AuthenticationOutcome.Authenticated, (await Authenticate(authenticator, newText)).Outcome);
        Assert.Equal(AuthenticationOutcome.Rejected, (await Authenticate(authenticator, oldText)).Outcome);
        await Assert.ThrowsAsync<InvalidOperationException>(() => service.RotateAsync(old.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Revocation_and_expiry_take_effect_within_the_cache_lifetime()
    {
        var (service, authenticator, _) = await OpenAsync();
        var (revoked, revokedText) = await service.CreateAsync("a", ApiKeyOwnerKind.User, "u1", null, null, CancellationToken.None);
        var (expiring, expiringText) = await service.CreateAsync("b", ApiKeyOwnerKind.User, "u2", _clock.GetUtcNow().AddHours(1), null, CancellationToken.None);
        Assert.Equal(AuthenticationOutcome.Authenticated, (await Authenticate(authenticator, revokedText)).Outcome);

        Assert.True(await service.RevokeAsync(revoked.Id, CancellationToken.None));
        Assert.True(await service.ExpireAsync(expiring.Id, _clock.GetUtcNow(), CancellationToken.None));
        _clock.Advance(ManagedApiKeyAuthenticator.CacheLifetime);

        var revokedResult = await Authenticate(authenticator, revokedText);
        Assert.Equal(AuthenticationOutcome.Rejected, revokedResult.Outcome);
        Assert.Contains("revoked", revokedResult.Reason, StringComparison.Ordinal);
        Assert.Contains("expired", (await Authenticate(authenticator, expiringText)).Reason, StringComparison.Ordinal);
        Assert.False(await service.RevokeAsync("000000000000", CancellationToken.None));
    }

    [Fact]
    public async Task Expiry_in_the_past_is_refused_at_creation()
    {
        var (service, _, _) = await OpenAsync();

        var e = await Assert.ThrowsAsync<ArgumentException>(() => service.CreateAsync("x", ApiKeyOwnerKind.User, "u", _clock.GetUtcNow().AddMinutes(-1), null, CancellationToken.None));
        Assert.Contains("in the past", e.Message, StringComparison.Ordinal);
    }
}
