using System.Data.Common;
using Basalt.Identity.Stores;

namespace Basalt.Identity.OAuth;

/// <summary>
/// The short-lived state of sign-ins in progress (device grants, sign-ins at the IdP, authorization codes), kept in
/// the identity store (<see cref="IdentityDatabase"/>: the SQLite file, or the PostgreSQL replicas share), so the
/// device authorization, the user-code page, the IdP callback and the token polls of one sign-in may each reach a
/// different replica, and a restart does not lose them. Each row lives minutes; expired rows are purged on every
/// insertion, and the number pending is bounded so a flood of device requests cannot grow the store.
/// Single use is the database's job: redeeming a device or authorization code, or answering a callback, is one
/// <c>DELETE … RETURNING</c> (SQLite ≥ 3.35 and PostgreSQL), so when two replicas race for a code exactly one
/// row comes back. Device and authorization codes are stored as SHA-256 like refresh tokens: a copy of the table
/// redeems nothing.
/// </summary>
internal sealed class PendingGrants(IdentityDatabase database, TimeProvider time)
{
    public const int Capacity = 10_000;

    /// <summary>A device row is kept this long past expiry so a poll after it is told <c>expired_token</c> rather than <c>invalid_grant</c>.</summary>
    private static readonly TimeSpan ExpiredGrace = TimeSpan.FromMinutes(5);

    private const string DeviceColumns = "device_hash, user_code, client_id, scope, expires_at, interval_ms, last_poll, status, user_id, display_name, email, groups, cost_centre";

    /// <summary>The gateway-wide count of wrong user codes ever entered (one row, shared by replicas; 0 before the first).</summary>
    private const string GuessTotal = "(SELECT COALESCE(MAX(total), 0) FROM oauth_user_code_guesses)";

    /// <summary>Stores a new device grant; false when the user code collides (the caller draws another) or too many are pending.</summary>
    public async Task<bool> TryAddDeviceAsync(DeviceGrant grant, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (!await PurgeAndCheckCapacityAsync(connection, "oauth_device_grants", ExpiredGrace, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        await using var insert = IdentityDatabase.Command(connection, $"""
            INSERT INTO oauth_device_grants ({DeviceColumns}, guesses_at_start) VALUES (@hash, @user_code, @client, @scope, @expires, @interval, NULL, 'pending', NULL, NULL, NULL, NULL, NULL, {GuessTotal})
            ON CONFLICT DO NOTHING
            """,
            ("hash", grant.DeviceHash), ("user_code", grant.UserCode), ("client", grant.ClientId), ("scope", grant.Scope),
            ("expires", grant.ExpiresAt.ToUnixTimeMilliseconds()), ("interval", (long)grant.Interval.TotalMilliseconds));
        return await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public Task<DeviceGrant?> DeviceAsync(string deviceCode, CancellationToken cancellationToken)
        => ReadDeviceAsync("device_hash = @key", OAuthAuthority.Hash(deviceCode), cancellationToken);

    /// <summary>The unexpired grant with this (normalized) user code, in whatever state.</summary>
    public async Task<DeviceGrant?> ByUserCodeAsync(string userCode, CancellationToken cancellationToken)
        => await ReadDeviceAsync("user_code = @key", userCode, cancellationToken).ConfigureAwait(false) is { } grant && grant.ExpiresAt > time.GetUtcNow() ? grant : null;

    /// <summary>Pending → approved for this person; false when the grant is no longer pending (declined, used, gone).</summary>
    public async Task<bool> ApproveAsync(string deviceHash, Principal principal, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var update = IdentityDatabase.Command(connection, """
            UPDATE oauth_device_grants SET status = 'approved', user_id = @user, display_name = @name, email = @email, groups = @groups, cost_centre = @cc
            WHERE device_hash = @hash AND status = 'pending'
            """,
            ("user", principal.UserId), ("name", principal.DisplayName), ("email", principal.Email), ("groups", string.Join('\n', principal.Groups)),
            ("cc", principal.CostCentre), ("hash", deviceHash));
        return await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Pending → denied (RFC 8628 §3.5 <c>access_denied</c> on the next poll).</summary>
    public async Task<bool> DenyAsync(string deviceHash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var update = IdentityDatabase.Command(connection, "UPDATE oauth_device_grants SET status = 'denied' WHERE device_hash = @hash AND status = 'pending'", ("hash", deviceHash));
        return await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Records a poll of a pending grant and the interval from now on (grown by <c>slow_down</c>).</summary>
    public async Task RecordPollAsync(string deviceHash, DateTimeOffset now, TimeSpan interval, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var update = IdentityDatabase.Command(connection, "UPDATE oauth_device_grants SET last_poll = @now, interval_ms = @interval WHERE device_hash = @hash AND status = 'pending'",
            ("now", now.ToUnixTimeMilliseconds()), ("interval", (long)interval.TotalMilliseconds), ("hash", deviceHash));
        await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Redeems an approved grant: the row is deleted and returned in one statement, so it is redeemed once.</summary>
    public async Task<Principal?> RedeemDeviceAsync(string deviceHash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var delete = IdentityDatabase.Command(connection, "DELETE FROM oauth_device_grants WHERE device_hash = @hash AND status = 'approved' RETURNING user_id, display_name, email, groups, cost_centre", ("hash", deviceHash));
        await using var reader = await delete.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadPrincipal(reader, 0) : null;
    }

    /// <summary>Ends a device grant (denied and told, or expired and told): the device code never works again.</summary>
    public async Task RemoveDeviceAsync(string deviceHash, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var delete = IdentityDatabase.Command(connection, "DELETE FROM oauth_device_grants WHERE device_hash = @hash", ("hash", deviceHash));
        await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> TryAddSignInAsync(SignIn signIn, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (!await PurgeAndCheckCapacityAsync(connection, "oauth_sign_ins", TimeSpan.Zero, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        var c = signIn.Client;
        await using var insert = IdentityDatabase.Command(connection, """
            INSERT INTO oauth_sign_ins (state, nonce, verifier, expires_at, device_hash, client_id, redirect_uri, client_state, code_challenge, scope)
            VALUES (@state, @nonce, @verifier, @expires, @device, @client, @redirect, @client_state, @challenge, @scope) ON CONFLICT DO NOTHING
            """,
            ("state", signIn.State), ("nonce", signIn.Nonce), ("verifier", signIn.Verifier), ("expires", signIn.ExpiresAt.ToUnixTimeMilliseconds()), ("device", signIn.DeviceHash),
            ("client", c?.ClientId), ("redirect", c?.RedirectUri), ("client_state", c?.State), ("challenge", c?.CodeChallenge), ("scope", c?.Scope));
        return await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>The unexpired sign-in with this <c>state</c>, removed in the same statement: a callback is answered once.</summary>
    public async Task<SignIn?> TakeSignInAsync(string state, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var delete = IdentityDatabase.Command(connection, """
            DELETE FROM oauth_sign_ins WHERE state = @state
            RETURNING state, nonce, verifier, expires_at, device_hash, client_id, redirect_uri, client_state, code_challenge, scope
            """, ("state", state));
        await using var reader = await delete.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var client = reader.IsDBNull(5) ? null : new ClientRequest(reader.GetString(5), reader.GetString(6), Nullable(reader, 7), reader.GetString(8), reader.GetString(9));
        var signIn = new SignIn(reader.GetString(0), reader.GetString(1), reader.GetString(2), Time(reader.GetInt64(3)), Nullable(reader, 4), client);
        return signIn.ExpiresAt > time.GetUtcNow() ? signIn : null;
    }

    public async Task<bool> TryAddCodeAsync(AuthorizationCode code, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (!await PurgeAndCheckCapacityAsync(connection, "oauth_codes", TimeSpan.Zero, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        var (r, p) = (code.Request, code.Principal);
        await using var insert = IdentityDatabase.Command(connection, """
            INSERT INTO oauth_codes (code_hash, client_id, redirect_uri, client_state, code_challenge, scope, user_id, display_name, email, groups, cost_centre, expires_at)
            VALUES (@hash, @client, @redirect, @client_state, @challenge, @scope, @user, @name, @email, @groups, @cc, @expires) ON CONFLICT DO NOTHING
            """,
            ("hash", OAuthAuthority.Hash(code.Code)), ("client", r.ClientId), ("redirect", r.RedirectUri), ("client_state", r.State), ("challenge", r.CodeChallenge), ("scope", r.Scope),
            ("user", p.UserId), ("name", p.DisplayName), ("email", p.Email), ("groups", string.Join('\n', p.Groups)), ("cc", p.CostCentre), ("expires", code.ExpiresAt.ToUnixTimeMilliseconds()));
        return await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>The authorization code, removed whatever happens next: a code is used once (RFC 6749 §4.1.2).</summary>
    public async Task<AuthorizationCode?> TakeCodeAsync(string code, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var delete = IdentityDatabase.Command(connection, """
            DELETE FROM oauth_codes WHERE code_hash = @hash
            RETURNING user_id, display_name, email, groups, cost_centre, client_id, redirect_uri, client_state, code_challenge, scope, expires_at
            """, ("hash", OAuthAuthority.Hash(code)));
        await using var reader = await delete.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var request = new ClientRequest(reader.GetString(5), reader.GetString(6), Nullable(reader, 7), reader.GetString(8), reader.GetString(9));
        return new AuthorizationCode(code, request, ReadPrincipal(reader, 0), Time(reader.GetInt64(10)));
    }

    /// <summary>
    /// Counts a wrong user code from <paramref name="address"/> in the window that contains <paramref name="now"/>
    /// and returns the count so far (RFC 8628 §5.1). Shared by replicas, so spreading guesses over them gains nothing.
    /// Also counts it in the gateway-wide total that every pending device grant measures its exposure against.
    /// </summary>
    public async Task<long> AddUserCodeFailureAsync(string address, DateTimeOffset windowStart, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var purge = IdentityDatabase.Command(connection, "DELETE FROM oauth_user_code_failures WHERE window_start < @start", ("start", windowStart.ToUnixTimeMilliseconds())))
        {
            await purge.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using (var total = IdentityDatabase.Command(connection, """
            INSERT INTO oauth_user_code_guesses (id, total) VALUES (1, 1)
            ON CONFLICT (id) DO UPDATE SET total = oauth_user_code_guesses.total + 1
            """))
        {
            await total.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var upsert = IdentityDatabase.Command(connection, """
            INSERT INTO oauth_user_code_failures (address, window_start, failures) VALUES (@address, @start, 1)
            ON CONFLICT (address, window_start) DO UPDATE SET failures = oauth_user_code_failures.failures + 1
            RETURNING failures
            """, ("address", address), ("start", windowStart.ToUnixTimeMilliseconds()));
        return Convert.ToInt64(await upsert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Wrong user codes from <paramref name="address"/> (or from everyone, when null) in the window starting at <paramref name="windowStart"/>.</summary>
    public async Task<long> UserCodeFailuresAsync(string? address, DateTimeOffset windowStart, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = address is null
            ? IdentityDatabase.Command(connection, "SELECT COALESCE(SUM(failures), 0) FROM oauth_user_code_failures WHERE window_start = @start", ("start", windowStart.ToUnixTimeMilliseconds()))
            : IdentityDatabase.Command(connection, "SELECT COALESCE(SUM(failures), 0) FROM oauth_user_code_failures WHERE window_start = @start AND address = @address", ("start", windowStart.ToUnixTimeMilliseconds()), ("address", address));
        return Convert.ToInt64(await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<DeviceGrant?> ReadDeviceAsync(string where, string key, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = IdentityDatabase.Command(connection, $"SELECT {DeviceColumns}, {GuessTotal} - guesses_at_start FROM oauth_device_grants WHERE {where}", ("key", key));
        await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var state = reader.GetString(7) switch
        {
            "approved" => DeviceState.Approved,
            "denied" => DeviceState.Denied,
            _ => DeviceState.Pending,
        };
        return new DeviceGrant(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), Time(reader.GetInt64(4)),
            TimeSpan.FromMilliseconds(reader.GetInt64(5)), reader.IsDBNull(6) ? null : Time(reader.GetInt64(6)), state, reader.IsDBNull(8) ? null : ReadPrincipal(reader, 8))
        {
            WrongCodesWhilePending = reader.IsDBNull(13) ? 0 : Convert.ToInt64(reader.GetValue(13), System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Deletes the table's expired rows, then says whether there is room for one more.</summary>
    private async Task<bool> PurgeAndCheckCapacityAsync(DbConnection connection, string table, TimeSpan grace, CancellationToken cancellationToken)
    {
        await using (var purge = IdentityDatabase.Command(connection, $"DELETE FROM {table} WHERE expires_at <= @cutoff", ("cutoff", (time.GetUtcNow() - grace).ToUnixTimeMilliseconds())))
        {
            await purge.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var count = IdentityDatabase.Command(connection, $"SELECT COUNT(*) FROM {table}");
        return Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) < Capacity;
    }

    private static Principal ReadPrincipal(DbDataReader reader, int first)
    {
        var groups = reader.GetString(first + 3);
        return new Principal(reader.GetString(first), reader.GetString(first + 1), Nullable(reader, first + 2), groups.Length == 0 ? [] : groups.Split('\n'),
            AuthenticationMethod.GatewayToken, "sign-in", Nullable(reader, first + 4));
    }

    private static string? Nullable(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static DateTimeOffset Time(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    internal enum DeviceState
    {
        Pending,
        Approved,
        Denied,
    }

    /// <summary>One RFC 8628 device authorization as stored (the device code itself only as its hash).</summary>
    internal sealed record DeviceGrant(string DeviceHash, string UserCode, string ClientId, string Scope, DateTimeOffset ExpiresAt, TimeSpan Interval, DateTimeOffset? LastPoll, DeviceState State, Principal? Principal)
    {
        /// <summary>Wrong user codes entered gateway-wide since this grant was made: guesses that could have been at its code.</summary>
        public long WrongCodesWhilePending { get; init; }
    }

    /// <summary>A person on their way to the IdP, for a device grant (by its hash) or for a client's authorization request.</summary>
    internal sealed record SignIn(string State, string Nonce, string Verifier, DateTimeOffset ExpiresAt, string? DeviceHash, ClientRequest? Client);

    /// <summary>A client's authorization request (RFC 6749 §4.1.1 with RFC 7636 §4.3), waiting for the IdP.</summary>
    internal sealed record ClientRequest(string ClientId, string RedirectUri, string? State, string CodeChallenge, string Scope);

    internal sealed record AuthorizationCode(string Code, ClientRequest Request, Principal Principal, DateTimeOffset ExpiresAt);
}
