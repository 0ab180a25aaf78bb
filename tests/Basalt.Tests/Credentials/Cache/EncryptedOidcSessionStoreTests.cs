using System.Text;
using Basalt.Credentials.Cache;
using Basalt.Credentials.Oidc;
using Basalt.Tests.Credentials.Support;

namespace Basalt.Tests.Credentials.Cache;

public sealed class EncryptedOidcSessionStoreTests
{
    [Fact]
    public async Task The_oidc_session_is_kept_encrypted_in_the_credential_cache()
    {
        using var env = new CredentialTestEnvironment();
        var cache = new CredentialCache(env.Combine("cache"), env.ToCredentialEnvironment());
        var store = new EncryptedOidcSessionStore(cache, "idp-123");
        Assert.Null(await store.LoadAsync(default));

        var state = new OidcSessionState { Issuer = "https://idp.example", ClientId = "client", RefreshToken = "refresh-secret-value", Subject = "u1", UpdatedAt = DateTimeOffset.FromUnixTimeSeconds(1_900_000_000) };
        await store.SaveAsync(state, default);
        Assert.Equal(state, await store.LoadAsync(default));
        foreach (var file in Directory.GetFiles(cache.Directory, "*.cache"))
        {
            Assert.DoesNotContain("refresh-secret-value", Encoding.Latin1.GetString(File.ReadAllBytes(file)));
        }

        await store.ClearAsync(default);
        Assert.Null(await store.LoadAsync(default));
    }
}
