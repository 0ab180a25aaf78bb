using System.Security.Cryptography;
using Basalt.Credentials.Oidc;

namespace Basalt.Credentials.Cache;

/// <summary>
/// The device implementation of <see cref="IOidcSessionStore"/>: the OIDC refresh token and ID token live in the
/// encrypted credential cache next to the profile's AWS credentials (never in a plain file). The OIDC source runs
/// inside <see cref="CachingCredentialSource"/>'s lock, so a rotated refresh token is read and written by one
/// process at a time.
/// </summary>
public sealed class EncryptedOidcSessionStore(CredentialCache cache, string cacheKey, TextWriter? log = null) : IOidcSessionStore
{
    private readonly string _key = cacheKey + "#oidc-session";

    public ValueTask<OidcSessionState?> LoadAsync(CancellationToken cancellationToken)
    {
        var bytes = cache.TryReadBytes(_key, log ?? TextWriter.Null);
        if (bytes is null)
        {
            return ValueTask.FromResult<OidcSessionState?>(null);
        }

        try
        {
            return ValueTask.FromResult(OidcSessionState.FromUtf8Json(bytes));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    public ValueTask SaveAsync(OidcSessionState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var bytes = state.ToUtf8Json();
        try
        {
            cache.WriteBytes(_key, bytes);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask ClearAsync(CancellationToken cancellationToken)
    {
        cache.Remove(_key);
        return ValueTask.CompletedTask;
    }
}
