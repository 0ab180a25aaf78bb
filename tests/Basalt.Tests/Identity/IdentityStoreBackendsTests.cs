using Basalt.Identity;
using Basalt.Identity.ApiKeys;
using Basalt.Identity.ApiKeys.Stores;
using Basalt.Identity.Groups;
using Basalt.Identity.OAuth;
using Basalt.Identity.OAuth.Stores;
using Basalt.Identity.Stores;
using Basalt.Testing;
using Basalt.Testing.Identity;

namespace Basalt.Tests.Identity;

/// <summary>
/// The gateway's identity stores on both backends (issue 9 item 5): managed keys and the authorization server's
/// refresh-token families behave the same in the embedded SQLite file and in a real PostgreSQL (the throwaway
/// cluster of scripts/pg-test-cluster.sh), with one schema and one code path.
/// </summary>
public sealed class IdentityStoreBackendsTests : IDisposable
{
    private readonly TempDirectory _dir = new("identity-stores");
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 12, 7, 2, 0, 0, TimeSpan.Zero));

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> Backends => ["sqlite", "postgresql"];

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Managed_keys_are_created_used_rotated_expired_and_revoked_the_same_on_both_backends(string backend)
    {
        await using var store = backend == "sqlite"
            ? await SqlApiKeyStore.OpenSqliteAsync(_dir.Combine("keys.db"), CancellationToken.None)
            : await SqlApiKeyStore.OpenPostgresAsync(await PostgresCluster.CreateDatabaseAsync("keys"), CancellationToken.None);
        var service = new ApiKeyService(store, _clock);
        var groups = new GroupMapping { Users = new Dictionary<string, IReadOnlyList<string>> { ["engineering"] = ["user-7"] } };
        var authenticator = new ManagedApiKeyAuthenticator(store, groups, _clock);

        var (key, text) = await service.CreateAsync("laptop", ApiKeyOwnerKind.User, "user-7", null, ["claude-sonnet-5"], CancellationToken.None);
        var ok = await authenticator.AuthenticateAsync(new AuthenticationRequest(text, null, "/v1/messages"), CancellationToken.None);
        Assert.Equal(AuthenticationOutcome.Authenticated, ok.Outcome);
        Assert.Equal(["engineering"], ok.Principal!.Groups);
        Assert.Equal(["claude-sonnet-5"], ok.Principal.AllowedModels!);

        await store.MarkUsedAsync(key.Id, _clock.GetUtcNow(), CancellationToken.None);
        await store.MarkUsedAsync(key.Id, _clock.GetUtcNow().AddMinutes(-5), CancellationToken.None);
        Assert.Equal(_clock.GetUtcNow(), (await store.FindAsync(key.Id, CancellationToken.None))!.LastUsedAt);

        var (rotated, rotatedText) = await service.RotateAsync(key.Id, CancellationToken.None);
        Assert.Equal(key.Id, rotated.RotatedFrom);
        Assert.Equal(AuthenticationOutcome.Authenticated, (await authenticator.AuthenticateAsync(new AuthenticationRequest(rotatedText, null, "/v1/messages"), CancellationToken.None)).Outcome);

        Assert.True(await service.ExpireAsync(rotated.Id, _clock.GetUtcNow().AddHours(1), CancellationToken.None));
        Assert.Equal(_clock.GetUtcNow().AddHours(1), (await store.FindAsync(rotated.Id, CancellationToken.None))!.ExpiresAt);
        Assert.True(await store.SetExpiryAsync(rotated.Id, null, CancellationToken.None));
        Assert.Null((await store.FindAsync(rotated.Id, CancellationToken.None))!.ExpiresAt);

        Assert.True(await service.RevokeAsync(rotated.Id, CancellationToken.None));
        Assert.False(await service.RevokeAsync("bsk_000000000000", CancellationToken.None));
        Assert.Equal(AuthenticationOutcome.Rejected, (await new ManagedApiKeyAuthenticator(store, groups, _clock).AuthenticateAsync(new AuthenticationRequest(rotatedText, null, "/v1/messages"), CancellationToken.None)).Outcome);
        Assert.Equal(new[] { key.Id, rotated.Id }.Order(StringComparer.Ordinal), (await service.ListAsync(CancellationToken.None)).Select(k => k.Id).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Refresh_token_families_rotate_once_and_revoke_as_a_whole_on_both_backends(string backend)
    {
        await using var store = backend == "sqlite"
            ? await OAuthStore.OpenSqliteAsync(_dir.Combine("oauth.db"), CancellationToken.None)
            : await OAuthStore.OpenPostgresAsync(await PostgresCluster.CreateDatabaseAsync("oauth"), CancellationToken.None);
        var now = _clock.GetUtcNow();
        var principal = new Principal("user-7", "User Seven", null, ["engineering", "finance"], AuthenticationMethod.GatewayToken, "sign-in");
        await store.AddAsync(new RefreshTokenRecord("hash-1", "family-a", "claude-desktop", principal, "gateway", now, now.AddDays(30), null), newFamily: true, CancellationToken.None);
        await store.AddAsync(new RefreshTokenRecord("hash-2", "family-a", "claude-desktop", principal, "gateway", now, now.AddDays(30), null), newFamily: false, CancellationToken.None);

        var (record, revoked) = (await store.FindAsync("hash-1", CancellationToken.None))!.Value;
        Assert.False(revoked);
        Assert.Equal(["engineering", "finance"], record.Principal.Groups);
        Assert.Null(record.Principal.Email);

        // Rotation is a conditional update: only the first of two uses wins.
        Assert.True(await store.TryRotateAsync("hash-1", now, CancellationToken.None));
        Assert.False(await store.TryRotateAsync("hash-1", now, CancellationToken.None));

        await store.RevokeFamilyAsync("family-a", "a rotated refresh token was used again", now, CancellationToken.None);
        Assert.True((await store.FindAsync("hash-2", CancellationToken.None))!.Value.FamilyRevoked);
        Assert.True(await store.IsFamilyRevokedAsync("family-a", CancellationToken.None));
        Assert.True(await store.IsFamilyRevokedAsync("no-such-family", CancellationToken.None));
        Assert.Equal("a rotated refresh token was used again", await store.RevocationReasonAsync("family-a", CancellationToken.None));

        // The signing key is created once and then read by every replica.
        var first = await store.SigningKeyAsync(() => [1, 2, 3], now, CancellationToken.None);
        var second = await store.SigningKeyAsync(() => [9, 9, 9], now, CancellationToken.None);
        Assert.Equal(first, second);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task A_store_made_before_the_per_device_code_guess_limit_gains_its_column_and_counts_wrong_codes_only_for_grants_made_since(string backend)
    {
        // The device-grant table as the previous release created it, with one grant pending.
        var target = backend == "sqlite" ? _dir.Combine("old.db") : await PostgresCluster.CreateDatabaseAsync("oldoauth");
        await using (var old = backend == "sqlite" ? await IdentityDatabase.OpenSqliteAsync(target, CancellationToken.None) : IdentityDatabase.OpenPostgres(target))
        {
            await old.ExecuteAsync($"""
                CREATE TABLE oauth_device_grants (
                  device_hash TEXT PRIMARY KEY, user_code TEXT NOT NULL UNIQUE, client_id TEXT NOT NULL, scope TEXT NOT NULL, expires_at BIGINT NOT NULL,
                  interval_ms BIGINT NOT NULL, last_poll BIGINT NULL, status TEXT NOT NULL, user_id TEXT NULL, display_name TEXT NULL, email TEXT NULL,
                  groups TEXT NULL, cost_centre TEXT NULL);
                INSERT INTO oauth_device_grants VALUES ('{OAuthAuthority.Hash("old-device")}', 'BBBB-CCCC', 'claude-desktop', 'gateway', {_clock.GetUtcNow().AddMinutes(10).ToUnixTimeMilliseconds()}, 5000, NULL, 'pending', NULL, NULL, NULL, NULL, NULL);
                """, CancellationToken.None);
        }

        await using var store = backend == "sqlite" ? await OAuthStore.OpenSqliteAsync(target, CancellationToken.None) : await OAuthStore.OpenPostgresAsync(target, CancellationToken.None);
        await using var again = backend == "sqlite" ? await OAuthStore.OpenSqliteAsync(target, CancellationToken.None) : await OAuthStore.OpenPostgresAsync(target, CancellationToken.None);
        var pending = new PendingGrants(store.Database, _clock);
        var window = _clock.GetUtcNow();
        await pending.AddUserCodeFailureAsync("127.0.0.2", window, CancellationToken.None);
        var grant = new PendingGrants.DeviceGrant(OAuthAuthority.Hash("new-device"), "DDDD-FFFF", "claude-desktop", "gateway", _clock.GetUtcNow().AddMinutes(10), TimeSpan.FromSeconds(5), null, PendingGrants.DeviceState.Pending, null);
        Assert.True(await pending.TryAddDeviceAsync(grant, CancellationToken.None));
        await pending.AddUserCodeFailureAsync("127.0.0.3", window, CancellationToken.None);
        await pending.AddUserCodeFailureAsync("127.0.0.3", window, CancellationToken.None);

        Assert.Equal(2, (await pending.DeviceAsync("new-device", CancellationToken.None))!.WrongCodesWhilePending);
        Assert.Equal(0, (await pending.DeviceAsync("old-device", CancellationToken.None))!.WrongCodesWhilePending);
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public async Task Sign_ins_in_progress_are_shared_by_two_replicas_and_each_code_is_taken_once_when_they_race(string backend)
    {
        // Two stores on one database stand for two replicas (each with its own connection pool).
        var target = backend == "sqlite" ? _dir.Combine("pending.db") : await PostgresCluster.CreateDatabaseAsync("pending");
        await using var storeA = backend == "sqlite" ? await OAuthStore.OpenSqliteAsync(target, CancellationToken.None) : await OAuthStore.OpenPostgresAsync(target, CancellationToken.None);
        await using var storeB = backend == "sqlite" ? await OAuthStore.OpenSqliteAsync(target, CancellationToken.None) : await OAuthStore.OpenPostgresAsync(target, CancellationToken.None);
        var a = new PendingGrants(storeA.Database, _clock);
        var b = new PendingGrants(storeB.Database, _clock);
        var now = _clock.GetUtcNow();
        var principal = new Principal("user-7", "User Seven", "u7@example.com", ["engineering"], AuthenticationMethod.GatewayToken, "sign-in", "cc-1");

        var request = new PendingGrants.ClientRequest("basalt-cli", "http://127.0.0.1:5000/callback", "s1", new string('c', 43), "gateway");
        for (var round = 0; round < 5; round++)
        {
            var code = $"code-{round}";
            Assert.True(await a.TryAddCodeAsync(new PendingGrants.AuthorizationCode(code, request, principal, now.AddMinutes(5)), CancellationToken.None));
            var taken = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => (i % 2 == 0 ? a : b).TakeCodeAsync(code, CancellationToken.None)));
            var winner = Assert.Single(taken, t => t is not null);
            Assert.Equal(principal.Groups, winner!.Principal.Groups);
            Assert.Equal("cc-1", winner.Principal.CostCentre);
            Assert.Equal("s1", winner.Request.State);
        }

        var grant = new PendingGrants.DeviceGrant(OAuthAuthority.Hash("device-1"), "BCDF-GHJK", "claude-desktop", "gateway", now.AddMinutes(10), TimeSpan.FromSeconds(5), null, PendingGrants.DeviceState.Pending, null);
        Assert.True(await a.TryAddDeviceAsync(grant, CancellationToken.None));
        Assert.False(await b.TryAddDeviceAsync(grant with { DeviceHash = OAuthAuthority.Hash("device-2") }, CancellationToken.None));
        Assert.Equal(grant.DeviceHash, (await b.ByUserCodeAsync("BCDF-GHJK", CancellationToken.None))!.DeviceHash);
        Assert.Null(await b.RedeemDeviceAsync(grant.DeviceHash, CancellationToken.None));
        Assert.True(await b.ApproveAsync(grant.DeviceHash, principal, CancellationToken.None));
        Assert.False(await a.ApproveAsync(grant.DeviceHash, principal, CancellationToken.None));
        var redeemed = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => (i % 2 == 0 ? a : b).RedeemDeviceAsync(grant.DeviceHash, CancellationToken.None)));
        Assert.Equal("user-7", Assert.Single(redeemed, r => r is not null)!.UserId);
        Assert.Null(await a.DeviceAsync("device-1", CancellationToken.None));

        var signIn = new PendingGrants.SignIn("state-1", "nonce-1", "verifier-1", now.AddMinutes(10), null, request);
        Assert.True(await a.TryAddSignInAsync(signIn, CancellationToken.None));
        Assert.Equal(signIn, await b.TakeSignInAsync("state-1", CancellationToken.None));
        Assert.Null(await a.TakeSignInAsync("state-1", CancellationToken.None));

        // Expired rows are purged on the next insertion.
        Assert.True(await a.TryAddSignInAsync(signIn with { State = "state-2", ExpiresAt = now.AddMinutes(1) }, CancellationToken.None));
        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.True(await a.TryAddSignInAsync(signIn with { State = "state-3", ExpiresAt = _clock.GetUtcNow().AddMinutes(10) }, CancellationToken.None));
        Assert.Null(await b.TakeSignInAsync("state-2", CancellationToken.None));
        await using var connection = await storeA.Database.OpenAsync(CancellationToken.None);
        await using var count = Basalt.Identity.Stores.IdentityDatabase.Command(connection, "SELECT COUNT(*) FROM oauth_sign_ins");
        Assert.Equal(1L, Convert.ToInt64(await count.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }
}
