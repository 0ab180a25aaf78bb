namespace Basalt.Credentials.Oidc;

/// <summary>
/// Where <see cref="OidcCredentialSource"/> keeps its <see cref="OidcSessionState"/> between runs. The device
/// implementation is the encrypted per-profile credential cache (a secret never lands in a plain file); callers
/// serialize with <see cref="OidcSessionState.ToUtf8Json"/>. Cross-process locking is the caller's job: the
/// source runs inside the cache's lock, so a rotated refresh token is never used twice.
/// </summary>
public interface IOidcSessionStore
{
    ValueTask<OidcSessionState?> LoadAsync(CancellationToken cancellationToken);

    ValueTask SaveAsync(OidcSessionState state, CancellationToken cancellationToken);

    /// <summary>Forgets the session (a revoked or expired refresh token, a sign-out).</summary>
    ValueTask ClearAsync(CancellationToken cancellationToken);
}
