using System.Security.Cryptography;
using System.Text;
using Basalt.Credentials.Oidc;
using Basalt.Identity.OAuth.Stores;
using static Basalt.Identity.OAuth.PendingGrants;

namespace Basalt.Identity.OAuth;

/// <summary>The token endpoint's grants (device code, authorization code + PKCE, refresh with rotation) and issuing.</summary>
public sealed partial class OAuthAuthority
{
    /// <summary>RFC 8628 §3.4-3.5, polled by the device (on any replica: the grant is in the store).</summary>
    private async Task<OAuthTokens> DeviceTokenAsync(string? deviceCode, string? clientId, CancellationToken cancellationToken)
    {
        var invalid = OAuthTokens.Fail(OAuthError.InvalidGrant("the device code is not valid (unknown, already used, or issued to another client)"));
        if (deviceCode is not { Length: > 0 and <= 200 } || await _pending.DeviceAsync(deviceCode, cancellationToken).ConfigureAwait(false) is not { } grant
            || !string.Equals(grant.ClientId, clientId, StringComparison.Ordinal))
        {
            // Unknown, already redeemed (single use), or another client's code.
            return invalid;
        }

        var now = _time.GetUtcNow();
        if (now >= grant.ExpiresAt)
        {
            await _pending.RemoveDeviceAsync(grant.DeviceHash, cancellationToken).ConfigureAwait(false);
            return OAuthTokens.Fail(new OAuthError("expired_token", "the device code expired; start the sign-in again"));
        }

        switch (grant.State)
        {
            case DeviceState.Denied:
                await _pending.RemoveDeviceAsync(grant.DeviceHash, cancellationToken).ConfigureAwait(false);
                return OAuthTokens.Fail(new OAuthError("access_denied", "the sign-in was declined"));
            case DeviceState.Pending when grant.WrongCodesWhilePending >= _options.UserCodeFailuresPerDeviceCode:
                // RFC 8628 §5.1 per device code: too many wrong user codes while it was pending; never approvable now.
                await _pending.RemoveDeviceAsync(grant.DeviceHash, cancellationToken).ConfigureAwait(false);
                return OAuthTokens.Fail(new OAuthError("access_denied", "too many wrong user codes were entered at the gateway while this sign-in was pending; start the sign-in again for a new code"));
            case DeviceState.Pending:
            {
                // §3.5: polling faster than the interval is answered slow_down, and the interval grows by 5 s for
                // this and every later request.
                var tooSoon = grant.LastPoll is { } last && now - last < grant.Interval;
                var interval = tooSoon ? grant.Interval + TimeSpan.FromSeconds(5) : grant.Interval;
                await _pending.RecordPollAsync(grant.DeviceHash, now, interval, cancellationToken).ConfigureAwait(false);
                return tooSoon
                    ? OAuthTokens.Fail(new OAuthError("slow_down", $"polling too fast; wait {interval.TotalSeconds:0} seconds between requests"))
                    : OAuthTokens.Fail(new OAuthError("authorization_pending", "the person has not finished signing in yet"));
            }

            default:
                // Approved: the row is deleted and read in one statement, so of two polls (on two replicas) one wins.
                return await _pending.RedeemDeviceAsync(grant.DeviceHash, cancellationToken).ConfigureAwait(false) is { } principal
                    ? await IssueAsync(principal, grant.ClientId, grant.Scope, null, cancellationToken).ConfigureAwait(false)
                    : invalid;
        }
    }

    private async Task<OAuthTokens> CodeTokenAsync(IReadOnlyDictionary<string, string> form, string? clientId, CancellationToken cancellationToken)
    {
        if (form.GetValueOrDefault("code") is not { Length: > 0 and < 200 } code || await _pending.TakeCodeAsync(code, cancellationToken).ConfigureAwait(false) is not { } grant)
        {
            return OAuthTokens.Fail(OAuthError.InvalidGrant("the authorization code is not valid (unknown, expired or already used)"));
        }

        if (grant.ExpiresAt <= _time.GetUtcNow() || !string.Equals(grant.Request.ClientId, clientId, StringComparison.Ordinal))
        {
            return OAuthTokens.Fail(OAuthError.InvalidGrant("the authorization code is not valid (unknown, expired or already used)"));
        }

        // RFC 6749 §4.1.3: the same redirect_uri as in the authorization request.
        if (!string.Equals(form.GetValueOrDefault("redirect_uri"), grant.Request.RedirectUri, StringComparison.Ordinal))
        {
            return OAuthTokens.Fail(OAuthError.InvalidGrant("redirect_uri does not match the authorization request"));
        }

        // RFC 7636 §4.6: BASE64URL(SHA256(verifier)) must equal the challenge; compared in constant time.
        var verifier = form.GetValueOrDefault("code_verifier");
        if (verifier is not { Length: >= 43 and <= 128 }
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Pkce.Challenge(verifier)), Encoding.ASCII.GetBytes(grant.Request.CodeChallenge)))
        {
            return OAuthTokens.Fail(OAuthError.InvalidGrant("the PKCE code_verifier does not match the code_challenge"));
        }

        return await IssueAsync(grant.Principal, grant.Request.ClientId, grant.Request.Scope, null, cancellationToken).ConfigureAwait(false);
    }

    private async Task<OAuthTokens> RefreshAsync(string? token, string? clientId, CancellationToken cancellationToken)
    {
        var invalid = OAuthTokens.Fail(OAuthError.InvalidGrant("the refresh token is not valid (unknown, expired, revoked or already used); sign in again"));
        if (string.IsNullOrEmpty(token) || token.Length > 512 || await _store.FindAsync(Hash(token), cancellationToken).ConfigureAwait(false) is not { } found)
        {
            return invalid;
        }

        var (record, familyRevoked) = found;
        var now = _time.GetUtcNow();
        if (familyRevoked || record.ExpiresAt <= now || !string.Equals(record.ClientId, clientId, StringComparison.Ordinal))
        {
            return invalid;
        }

        if (record.RotatedAt is not null || !await _store.TryRotateAsync(record.TokenHash, now, cancellationToken).ConfigureAwait(false))
        {
            // A rotated token came back: either the legitimate client or a thief holds a copy, and the server
            // cannot tell which, so the whole family ends (RFC 9700 §4.14.2) and the person signs in again.
            await RevokeFamilyAsync(record.FamilyId, "a rotated refresh token was used again", cancellationToken).ConfigureAwait(false);
            return invalid;
        }

        return await IssueAsync(record.Principal, record.ClientId, record.Scope, record.FamilyId, cancellationToken).ConfigureAwait(false);
    }

    private async Task RevokeFamilyAsync(string family, string reason, CancellationToken cancellationToken)
    {
        await _store.RevokeFamilyAsync(family, reason, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        Authenticator.Revoked(family);
    }

    private async Task<OAuthTokens> IssueAsync(Principal principal, string clientId, string scope, string? family, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var newFamily = family is null;
        family ??= Pkce.RandomToken(16);
        var refresh = "bgr_" + Pkce.RandomToken(32);
        await _store.AddAsync(new RefreshTokenRecord(Hash(refresh), family, clientId, principal, scope, now, now + _options.RefreshTokenLifetime, null), newFamily, cancellationToken).ConfigureAwait(false);
        var access = Authenticator.Issue(principal, clientId, scope, family, now);
        return new OAuthTokens(access, refresh, _options.AccessTokenLifetime, scope, null) { Email = principal.Email };
    }

    private static string Scope(string? requested) => string.IsNullOrWhiteSpace(requested) || requested.Length > 500 ? "gateway" : requested.Trim();
}
