using Basalt.Identity.Stores;

namespace Basalt.Identity.OAuth;

/// <summary>
/// The gateway's public client at IAM Identity Center (RegisterClient), kept in the identity store until it nears
/// expiry: registering once per gateway rather than per sign-in, and shared by replicas, because the code that
/// <c>/authorize</c> issues to a client can only be redeemed with that client's id and secret, on whichever replica
/// the browser returns to. The secret sits beside the gateway's token-signing key, in the same 0600 file or database.
/// </summary>
internal sealed class IdentityCenterClients(IdentityDatabase database, TimeProvider time)
{
    /// <summary>As botocore does: a registration is replaced 15 minutes before it expires, so no sign-in starts on a dying one.</summary>
    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(15);

    public async Task<Registration?> FindAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = IdentityDatabase.Command(connection, "SELECT client_id, client_secret, expires_at FROM oauth_identity_center_clients WHERE registration_key = @key", ("key", key));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var registration = new Registration(reader.GetString(0), reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)));
        return registration.ExpiresAt - time.GetUtcNow() > RenewBefore ? registration : null;
    }

    /// <summary>Stores a new registration; when another replica stored one meanwhile, the first stored wins and is returned.</summary>
    public async Task<Registration> SaveAsync(string key, Registration registration, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var upsert = IdentityDatabase.Command(connection, """
            INSERT INTO oauth_identity_center_clients (registration_key, client_id, client_secret, expires_at) VALUES (@key, @id, @secret, @expires)
            ON CONFLICT (registration_key) DO UPDATE SET client_id = excluded.client_id, client_secret = excluded.client_secret, expires_at = excluded.expires_at
            WHERE oauth_identity_center_clients.expires_at < @renew
            """,
            ("key", key), ("id", registration.ClientId), ("secret", registration.ClientSecret), ("expires", registration.ExpiresAt.ToUnixTimeMilliseconds()),
            ("renew", (time.GetUtcNow() + RenewBefore).ToUnixTimeMilliseconds())))
        {
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return await FindAsync(key, cancellationToken).ConfigureAwait(false) ?? registration;
    }

    internal sealed record Registration(string ClientId, string ClientSecret, DateTimeOffset ExpiresAt)
    {
        public override string ToString() => $"Registration {{ ClientId = {ClientId}, ClientSecret = ***, ExpiresAt = {ExpiresAt:O} }}";
    }
}
